package main

import rego.v1

# A result object without a string msg cannot be reported: kubeplan (like
# conftest) treats it as a policy error for the object.
deny contains {"message": "ConfigMaps are not allowed"} if input.kind == "ConfigMap"
