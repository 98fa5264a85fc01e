package rbac

import (
	"sort"
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
)

// ResourceInfo describes one API resource as discovery would: its group,
// plural name (what RBAC rules name), kind, short names and subresources.
type ResourceInfo struct {
	Group, Resource, Kind string
	ShortNames            []string
	Subresources          []string
	ClusterScoped         bool
}

// builtinResources is the discovery of a v1.37 API server's built-in
// resources that users name in RBAC rules, one per line:
// group|plural|Kind|shortnames|subresources|scope ("c" = cluster-scoped).
const builtinResources = `|bindings|Binding|||
|componentstatuses|ComponentStatus|cs||c
|configmaps|ConfigMap|cm||
|endpoints|Endpoints|ep||
|events|Event|ev||
|limitranges|LimitRange|limits||
|namespaces|Namespace|ns|finalize,status|c
|nodes|Node|no|proxy,status|c
|persistentvolumeclaims|PersistentVolumeClaim|pvc|status|
|persistentvolumes|PersistentVolume|pv|status|c
|pods|Pod|po|attach,binding,ephemeralcontainers,eviction,exec,log,portforward,proxy,resize,status|
|podtemplates|PodTemplate|||
|replicationcontrollers|ReplicationController|rc|scale,status|
|resourcequotas|ResourceQuota|quota|status|
|secrets|Secret|||
|serviceaccounts|ServiceAccount|sa|token|
|services|Service|svc|proxy,status|
|users|User|||c
|groups|Group|||c
|userextras|UserExtra|||c
|uids|UID|||c
admissionregistration.k8s.io|mutatingwebhookconfigurations|MutatingWebhookConfiguration|||c
admissionregistration.k8s.io|validatingwebhookconfigurations|ValidatingWebhookConfiguration|||c
admissionregistration.k8s.io|validatingadmissionpolicies|ValidatingAdmissionPolicy||status|c
admissionregistration.k8s.io|validatingadmissionpolicybindings|ValidatingAdmissionPolicyBinding|||c
admissionregistration.k8s.io|mutatingadmissionpolicies|MutatingAdmissionPolicy|||c
admissionregistration.k8s.io|mutatingadmissionpolicybindings|MutatingAdmissionPolicyBinding|||c
apiextensions.k8s.io|customresourcedefinitions|CustomResourceDefinition|crd,crds|status|c
apiregistration.k8s.io|apiservices|APIService||status|c
apps|controllerrevisions|ControllerRevision|||
apps|daemonsets|DaemonSet|ds|status|
apps|deployments|Deployment|deploy|scale,status|
apps|replicasets|ReplicaSet|rs|scale,status|
apps|statefulsets|StatefulSet|sts|scale,status|
authentication.k8s.io|selfsubjectreviews|SelfSubjectReview|||c
authentication.k8s.io|tokenreviews|TokenReview|||c
authentication.k8s.io|userextras|UserExtra|||c
authentication.k8s.io|uids|UID|||c
authorization.k8s.io|localsubjectaccessreviews|LocalSubjectAccessReview|||
authorization.k8s.io|selfsubjectaccessreviews|SelfSubjectAccessReview|||c
authorization.k8s.io|selfsubjectrulesreviews|SelfSubjectRulesReview|||c
authorization.k8s.io|subjectaccessreviews|SubjectAccessReview|||c
autoscaling|horizontalpodautoscalers|HorizontalPodAutoscaler|hpa|status|
batch|cronjobs|CronJob|cj|status|
batch|jobs|Job||status|
certificates.k8s.io|certificatesigningrequests|CertificateSigningRequest|csr|approval,status|c
certificates.k8s.io|signers|Signer|||c
certificates.k8s.io|clustertrustbundles|ClusterTrustBundle|||c
coordination.k8s.io|leases|Lease|||
coordination.k8s.io|leasecandidates|LeaseCandidate|||
discovery.k8s.io|endpointslices|EndpointSlice|||
events.k8s.io|events|Event|ev||
extensions|deployments|Deployment|deploy|rollback,scale,status|
extensions|daemonsets|DaemonSet|ds|status|
extensions|replicasets|ReplicaSet|rs|scale,status|
extensions|ingresses|Ingress|ing|status|
extensions|networkpolicies|NetworkPolicy|netpol||
flowcontrol.apiserver.k8s.io|flowschemas|FlowSchema||status|c
flowcontrol.apiserver.k8s.io|prioritylevelconfigurations|PriorityLevelConfiguration||status|c
metrics.k8s.io|nodes|NodeMetrics|||c
metrics.k8s.io|pods|PodMetrics|||
networking.k8s.io|ingressclasses|IngressClass|||c
networking.k8s.io|ingresses|Ingress|ing|status|
networking.k8s.io|ipaddresses|IPAddress|ip||c
networking.k8s.io|networkpolicies|NetworkPolicy|netpol||
networking.k8s.io|servicecidrs|ServiceCIDR||status|c
node.k8s.io|runtimeclasses|RuntimeClass|||c
policy|poddisruptionbudgets|PodDisruptionBudget|pdb|status|
policy|podsecuritypolicies|PodSecurityPolicy|psp||c
rbac.authorization.k8s.io|clusterrolebindings|ClusterRoleBinding|||c
rbac.authorization.k8s.io|clusterroles|ClusterRole|||c
rbac.authorization.k8s.io|rolebindings|RoleBinding|||
rbac.authorization.k8s.io|roles|Role|||
resource.k8s.io|deviceclasses|DeviceClass|||c
resource.k8s.io|resourceclaims|ResourceClaim||status|
resource.k8s.io|resourceclaimtemplates|ResourceClaimTemplate|||
resource.k8s.io|resourceslices|ResourceSlice|||c
scheduling.k8s.io|priorityclasses|PriorityClass|pc||c
storage.k8s.io|csidrivers|CSIDriver|||c
storage.k8s.io|csinodes|CSINode|||c
storage.k8s.io|csistoragecapacities|CSIStorageCapacity|||
storage.k8s.io|storageclasses|StorageClass|sc||c
storage.k8s.io|volumeattachments|VolumeAttachment||status|c
storage.k8s.io|volumeattributesclasses|VolumeAttributesClass|vac||c
`

// Resources resolves resource names as users type them (plural, singular,
// short name, kind, optionally with ".group") against the built-in table
// plus the CustomResourceDefinitions of the input.
type Resources struct {
	list []ResourceInfo
}

// NewResources returns the built-in resources plus the CRDs found in m
// (spec.group, spec.names.plural/singular/kind/shortNames); m may be nil.
func NewResources(m *cluster.Model) *Resources {
	rs := &Resources{}
	for _, line := range strings.Split(strings.TrimSpace(builtinResources), "\n") {
		f := strings.Split(line, "|")
		rs.list = append(rs.list, ResourceInfo{Group: f[0], Resource: f[1], Kind: f[2], ShortNames: splitList(f[3]), Subresources: splitList(f[4]), ClusterScoped: f[5] == "c"})
	}
	if m != nil {
		for _, o := range m.Kind("apiextensions.k8s.io", "CustomResourceDefinition") {
			spec, _ := o.Map()["spec"].(map[string]any)
			names, _ := spec["names"].(map[string]any)
			group, _ := spec["group"].(string)
			plural, _ := names["plural"].(string)
			kind, _ := names["kind"].(string)
			scope, _ := spec["scope"].(string)
			if plural == "" {
				continue
			}
			ri := ResourceInfo{Group: group, Resource: plural, Kind: kind, ClusterScoped: scope == "Cluster", Subresources: []string{"status", "scale"}}
			if sn, ok := names["shortNames"].([]any); ok {
				for _, s := range sn {
					if str, ok := s.(string); ok {
						ri.ShortNames = append(ri.ShortNames, str)
					}
				}
			}
			if singular, ok := names["singular"].(string); ok && singular != "" {
				ri.ShortNames = append(ri.ShortNames, singular)
			}
			rs.list = append(rs.list, ri)
		}
	}
	return rs
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Lookup resolves "pods", "po", "pod", "Pod", "deployments.apps",
// "deploy.apps" or "widgets.example.com" to a resource. When the group is
// not given, the core group wins, then served groups in name order, then
// extensions and metrics.k8s.io (as kubectl's discovery priority does).
func (rs *Resources) Lookup(typed string) (ResourceInfo, bool) {
	name, group, hasGroup := strings.Cut(typed, ".")
	lname := strings.ToLower(name)
	var matches []ResourceInfo
	for _, r := range rs.list {
		if hasGroup && r.Group != group {
			continue
		}
		if r.Resource == lname || strings.ToLower(r.Kind) == lname || strings.TrimSuffix(r.Resource, "s") == lname || has(r.ShortNames, lname) {
			matches = append(matches, r)
		}
	}
	if len(matches) == 0 {
		return ResourceInfo{}, false
	}
	rank := func(g string) int {
		switch g {
		case "":
			return 0
		case "extensions", "metrics.k8s.io": // no longer served / not the object itself
			return 2
		}
		return 1
	}
	sort.SliceStable(matches, func(i, j int) bool {
		if rank(matches[i].Group) != rank(matches[j].Group) {
			return rank(matches[i].Group) < rank(matches[j].Group)
		}
		return matches[i].Group < matches[j].Group
	})
	return matches[0], true
}

// Known reports whether resource (a plural, possibly "resource/sub") exists
// in group; "*" and "*/sub" are always known.
func (rs *Resources) Known(group, resource string) bool {
	res, sub, hasSub := strings.Cut(resource, "/")
	if res == "*" {
		return true
	}
	for _, r := range rs.list {
		if r.Group != group || r.Resource != res {
			continue
		}
		return !hasSub || sub == "*" || has(r.Subresources, sub)
	}
	return false
}

// GroupKnown reports whether any resource of the table is in group.
func (rs *Resources) GroupKnown(group string) bool {
	for _, r := range rs.list {
		if r.Group == group {
			return true
		}
	}
	return false
}

// Suggest returns the resource a mistyped name probably meant (a singular
// or kind for its plural, or the same resource in another group), as
// kubectl's "the server doesn't have a resource type" hint does.
func (rs *Resources) Suggest(group, resource string) string {
	res, sub, hasSub := strings.Cut(resource, "/")
	suffix := ""
	if hasSub {
		suffix = "/" + sub
	}
	if r, ok := rs.Lookup(res + dotGroup(group)); ok && r.Resource != res {
		return r.Resource + suffix
	}
	if r, ok := rs.Lookup(res); ok {
		return r.Resource + suffix + dotGroup(r.Group)
	}
	return ""
}

func dotGroup(g string) string {
	if g == "" {
		return ""
	}
	return "." + g
}
