# METADATA
# title: Images are pinned by tag or digest
# description: >-
#   Container images must name a tag (requireTag, default true) that is not
#   forbidden (forbiddenTags, default ["latest"]), and with requireDigest they
#   must be pinned by digest (@sha256:...).
# custom:
#   id: policy-image-tags
#   name: image-tags
#   severity: warning
#   categories: [reliability, security]
#   security-severity: "3.0"
#   remediation: Pin the image to a versioned tag or, better, to a digest.
#   params:
#     forbiddenTags: strings
#     requireTag: bool
#     requireDigest: bool
package kubeplan.library.image_tags

import data.kubeplan.lib

name := "image-tags"

deny contains {"msg": msg, "field": sprintf("%s.image", [c.path])} if {
	lib.configured(name)
	object.get(lib.params(name), "requireTag", true) == true
	some c in lib.containers
	not has_digest(c.container.image)
	tag(c.container.image) == ""
	msg := sprintf("image %q of container %q has no tag", [c.container.image, c.container.name])
}

deny contains {"msg": msg, "field": sprintf("%s.image", [c.path])} if {
	lib.configured(name)
	some c in lib.containers
	t := tag(c.container.image)
	t in object.get(lib.params(name), "forbiddenTags", ["latest"])
	msg := sprintf("image %q of container %q uses forbidden tag %q", [c.container.image, c.container.name, t])
}

deny contains {"msg": msg, "field": sprintf("%s.image", [c.path])} if {
	lib.configured(name)
	object.get(lib.params(name), "requireDigest", false) == true
	some c in lib.containers
	not has_digest(c.container.image)
	msg := sprintf("image %q of container %q is not pinned by digest", [c.container.image, c.container.name])
}

has_digest(image) if contains(image, "@")

# tag is the part after the last ':' of the last path segment, before any
# digest; "" when there is none (a ':' in the registry host is a port).
tag(image) := t if {
	ref := split(image, "@")[0]
	parts := split(ref, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := split(last, ":")[1]
} else := ""
