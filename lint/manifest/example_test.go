package manifest_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/kubeplan/kubeplan/lint/manifest"
)

// Load reads a multi-document stream (here standard input); every object
// knows its position, every field path resolves to the line and column of
// its key (or of its nearest existing parent), and a broken document
// becomes an error with file:line while the others still load.
func ExampleLoad() {
	input := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: yes
      containers:
      - name: app
        image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata: {name: broken
---
apiVersion: v1
kind: Service
metadata:
  name: web
`
	res := manifest.Load(context.Background(), []string{"-"}, manifest.Options{Stdin: strings.NewReader(input)})
	for _, o := range res.Objects {
		fmt.Printf("%s %s at %s:%d:%d (document %d)\n", o.Kind, o.Name, o.File.Path, o.Position().Line, o.Position().Col, o.Doc)
	}
	web := res.Objects[0]
	image, _ := web.Locate("spec.template.spec.containers[0].image")
	fmt.Printf("image at line %d, column %d\n", image.Line, image.Col)
	fix, exact := web.Locate("spec.template.spec.containers[0].securityContext.runAsNonRoot")
	fmt.Printf("runAsNonRoot goes at line %d (exact: %v)\n", fix.Line, exact)
	for _, a := range web.Ambiguous {
		fmt.Printf("%s: %s is %s to Kubernetes\n", a.FieldPath, a.Value, a.AsYAML11)
	}
	for _, e := range res.Errors {
		fmt.Println(e)
	}
	// Output:
	// Deployment web at -:1:1 (document 0)
	// Service web at -:17:1 (document 2)
	// image at line 11, column 9
	// runAsNonRoot goes at line 10 (exact: false)
	// spec.template.spec.hostNetwork: yes is boolean true to Kubernetes
	// -:15: invalid YAML: did not find expected ',' or '}'
}
