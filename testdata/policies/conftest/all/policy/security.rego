package security

import rego.v1

warn_secrets contains msg if {
	input.kind == "Secret"
	msg := sprintf("security: Secret %s is stored in git", [input.metadata.name])
}
