# METADATA
# title: Container requests and limits stay within ranges
# description: >-
#   Container CPU and memory requests and limits must lie within the configured
#   ranges (minRequest, maxRequest, minLimit, maxLimit per resource, written as
#   Kubernetes quantities such as "100m" or "512Mi"); with requireRequests or
#   requireLimits, they must also be set. Init containers are checked too.
# custom:
#   id: policy-resource-ranges
#   name: resource-ranges
#   severity: warning
#   categories: [efficiency, reliability]
#   remediation: Set resources.requests and resources.limits within the allowed ranges.
#   params:
#     cpu: map of quantity
#     memory: map of quantity
#     requireRequests: bool
#     requireLimits: bool
package kubeplan.library.resource_ranges

import data.kubeplan.lib

name := "resource-ranges"

bounds := {
	"minRequest": ["requests", "below the minimum", "<"],
	"maxRequest": ["requests", "above the maximum", ">"],
	"minLimit": ["limits", "below the minimum", "<"],
	"maxLimit": ["limits", "above the maximum", ">"],
}

deny contains {"msg": msg, "field": sprintf("%s.resources.%s.%s", [c.path, kind, res])} if {
	lib.configured(name)
	some res in ["cpu", "memory"]
	some bound, limit in object.get(lib.params(name), res, {})
	[kind, words, op] := bounds[bound]
	some c in lib.containers
	value := c.container.resources[kind][res]
	outside(units.parse(sprintf("%v", [value])), units.parse(sprintf("%v", [limit])), op)
	msg := sprintf("container %q has %s %s %v, %s %v", [c.container.name, res, trim_suffix(kind, "s"), value, words, limit])
}

deny contains {"msg": msg, "field": sprintf("%s.resources", [c.path])} if {
	lib.configured(name)
	some kind, flag in {"requests": "requireRequests", "limits": "requireLimits"}
	object.get(lib.params(name), flag, false) == true
	some res in ["cpu", "memory"]
	some c in lib.containers
	not c.init == true
	not c.container.resources[kind][res]
	msg := sprintf("container %q sets no %s %s", [c.container.name, res, trim_suffix(kind, "s")])
}

outside(v, l, "<") if v < l

outside(v, l, ">") if v > l
