// Package manifestgen writes synthetic Kubernetes manifests for benchmarks:
// a realistic mix of Deployments, Services, ConfigMaps and RoleBindings,
// generated at benchmark time instead of committed.
package manifestgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// PerFile is how many objects each generated file holds.
const PerFile = 100

// Write writes objects manifests under dir, PerFile per file, in ten team
// directories. It returns the files' paths relative to dir ('/'
// separated) and their total size in bytes.
func Write(dir string, objects int) (paths []string, size int64, err error) {
	for file := 0; file*PerFile < objects; file++ {
		var buf bytes.Buffer
		for i := file * PerFile; i < min(objects, (file+1)*PerFile); i++ {
			if i%PerFile != 0 {
				buf.WriteString("---\n")
			}
			WriteObject(&buf, i)
		}
		rel := fmt.Sprintf("team-%02d/app-%03d.yaml", file%10, file)
		abs := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, 0, fmt.Errorf("generating manifests: %w", err)
		}
		if err := os.WriteFile(abs, buf.Bytes(), 0o644); err != nil {
			return nil, 0, fmt.Errorf("generating manifests: %w", err)
		}
		paths = append(paths, rel)
		size += int64(buf.Len())
	}
	return paths, size, nil
}

// WriteObject writes the i-th synthetic object: two in five are
// Deployments, the others a Service, a ConfigMap and a RoleBinding.
func WriteObject(buf *bytes.Buffer, i int) {
	ns := fmt.Sprintf("team-%d", i%10)
	switch i % 5 {
	case 0, 1:
		fmt.Fprintf(buf, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%[1]d
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: app-%[1]d
    app.kubernetes.io/part-of: shop
  annotations:
    kubeplan.dev/owner: "team %[2]s"
spec:
  replicas: %[3]d
  selector:
    matchLabels:
      app.kubernetes.io/name: app-%[1]d
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-%[1]d
    spec:
      serviceAccountName: app-%[1]d
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
      - name: app
        image: registry.example.com/shop/app-%[1]d:1.%[3]d.0
        args: ["--port=8080", "--log-level=info"]
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        env:
        - name: MODE
          value: "production"
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 512Mi}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          periodSeconds: 10
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
`, i, ns, i%7+1)
	case 2:
		fmt.Fprintf(buf, `apiVersion: v1
kind: Service
metadata:
  name: app-%[1]d
  namespace: %[2]s
spec:
  selector:
    app.kubernetes.io/name: app-%[1]d
  ports:
  - name: http
    port: 80
    targetPort: http
`, i, ns)
	case 3:
		fmt.Fprintf(buf, `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-%[1]d-config
  namespace: %[2]s
data:
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
    features: [a, b, c]
  LOG_LEVEL: info
  RETRIES: "3"
`, i, ns)
	default:
		fmt.Fprintf(buf, `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-%[1]d
  namespace: %[2]s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app-reader
subjects:
- kind: ServiceAccount
  name: app-%[1]d
  namespace: %[2]s
`, i, ns)
	}
}
