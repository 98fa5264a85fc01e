// Package policies evaluates Rego policies over kubeplan's cluster model,
// offline: conftest-style user policies (deny, warn and violation rules in
// package main or chosen namespaces), the bundled library of organisation
// policies configured from .kubeplan.yaml, and Gatekeeper ConstraintTemplates
// with their Constraints. It also runs Rego unit tests (like `opa test` and
// `conftest verify`) and Gatekeeper suite.yaml files (like `gator verify`).
//
// Every policy set is compiled once and prepared once per run; each object is
// converted to a Rego value once and shared by every policy. Builtins that
// reach outside the process (http.send, net.lookup_ip_addr, opa.runtime) are
// refused at compile time, and kubeplan adds its own: kubeplan.can_i,
// kubeplan.who_can and kubeplan.placement, answered by the RBAC and Placement
// oracles in Options. Policies see every object as data.kubeplan.inventory,
// shaped like Gatekeeper's data.inventory.
package policies
