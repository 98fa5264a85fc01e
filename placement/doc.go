// Package placement simulates kube-scheduler offline: it expands workloads
// into pods the way their controllers and the API server's admission chain
// would, then schedules them one at a time onto declared nodes with the
// default profile's filters, scores and preemption, in upstream's own words.
//
// The shape follows the scheduler framework (pkg/scheduler/framework): each
// filter is a small type behind the Filter interface, returning a *Status
// whose reasons are upstream's exact strings (the exported Reason
// constants); FitError renders the "0/N nodes are available: ..." message;
// scoring plugins are weighted like the default profile; DefaultPreemption
// looks for lower-priority victims. Simulate runs the whole thing and
// returns one PodResult per pod.
//
// Not modelled, and said so in every Result: volume binding and CSI
// topology (VolumeBinding, VolumeZone, VolumeRestrictions, NodeVolumeLimits),
// dynamic resource allocation, ImageLocality scoring, kubelet admission and
// node runtime pressure beyond the taints the node lifecycle controller
// derives from declared conditions.
package placement
