package rules

import (
	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
)

// podRef is a reference from a pod template to another object.
type podRef struct {
	Name, Path string
	// Optional references (optional: true) do not stop the pod starting.
	Optional bool
}

func isTrue(b *bool) bool { return b != nil && *b }

// configMapRefs lists the ConfigMaps a pod template uses.
func configMapRefs(w *cluster.Workload) []podRef {
	var out []podRef
	spec, sp := &w.Template.Spec, w.SpecPath()
	for i, v := range spec.Volumes {
		vp := sp + ".volumes[" + itoa(i) + "]"
		if v.ConfigMap != nil {
			out = append(out, podRef{Name: v.ConfigMap.Name, Path: vp + ".configMap.name", Optional: isTrue(v.ConfigMap.Optional)})
		}
		if v.Projected != nil {
			for j, s := range v.Projected.Sources {
				if s.ConfigMap != nil {
					out = append(out, podRef{Name: s.ConfigMap.Name, Path: vp + ".projected.sources[" + itoa(j) + "].configMap.name", Optional: isTrue(s.ConfigMap.Optional)})
				}
			}
		}
	}
	for _, c := range w.Containers() {
		for i, e := range c.Container.EnvFrom {
			if e.ConfigMapRef != nil {
				out = append(out, podRef{Name: e.ConfigMapRef.Name, Path: c.Path + ".envFrom[" + itoa(i) + "].configMapRef.name", Optional: isTrue(e.ConfigMapRef.Optional)})
			}
		}
		for i, e := range c.Container.Env {
			if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
				out = append(out, podRef{Name: e.ValueFrom.ConfigMapKeyRef.Name, Path: c.Path + ".env[" + itoa(i) + "].valueFrom.configMapKeyRef.name", Optional: isTrue(e.ValueFrom.ConfigMapKeyRef.Optional)})
			}
		}
	}
	return out
}

// secretRefs lists the Secrets a pod template uses.
func secretRefs(w *cluster.Workload) []podRef {
	var out []podRef
	spec, sp := &w.Template.Spec, w.SpecPath()
	for i, v := range spec.Volumes {
		vp := sp + ".volumes[" + itoa(i) + "]"
		if v.Secret != nil {
			out = append(out, podRef{Name: v.Secret.SecretName, Path: vp + ".secret.secretName", Optional: isTrue(v.Secret.Optional)})
		}
		if v.Projected != nil {
			for j, s := range v.Projected.Sources {
				if s.Secret != nil {
					out = append(out, podRef{Name: s.Secret.Name, Path: vp + ".projected.sources[" + itoa(j) + "].secret.name", Optional: isTrue(s.Secret.Optional)})
				}
			}
		}
	}
	for i, s := range spec.ImagePullSecrets {
		out = append(out, podRef{Name: s.Name, Path: sp + ".imagePullSecrets[" + itoa(i) + "].name"})
	}
	for _, c := range w.Containers() {
		for i, e := range c.Container.EnvFrom {
			if e.SecretRef != nil {
				out = append(out, podRef{Name: e.SecretRef.Name, Path: c.Path + ".envFrom[" + itoa(i) + "].secretRef.name", Optional: isTrue(e.SecretRef.Optional)})
			}
		}
		for i, e := range c.Container.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				out = append(out, podRef{Name: e.ValueFrom.SecretKeyRef.Name, Path: c.Path + ".env[" + itoa(i) + "].valueFrom.secretKeyRef.name", Optional: isTrue(e.ValueFrom.SecretKeyRef.Optional)})
			}
		}
	}
	return out
}

func pvcRefs(w *cluster.Workload) []podRef {
	var out []podRef
	for i, v := range w.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			out = append(out, podRef{Name: v.PersistentVolumeClaim.ClaimName, Path: w.SpecPath() + ".volumes[" + itoa(i) + "].persistentVolumeClaim.claimName"})
		}
	}
	return out
}

func serviceAccountRefs(w *cluster.Workload) []podRef {
	name := w.ServiceAccountName()
	if name == "default" {
		return nil // created in every namespace by the ServiceAccount controller
	}
	path := w.SpecPath() + ".serviceAccountName"
	if w.Template.Spec.ServiceAccountName == "" {
		path = w.SpecPath() + ".serviceAccount"
	}
	return []podRef{{Name: name, Path: path}}
}

func priorityClassRefs(w *cluster.Workload) []podRef {
	switch n := w.Template.Spec.PriorityClassName; n {
	case "", "system-cluster-critical", "system-node-critical":
		return nil // built in
	default:
		return []podRef{{Name: n, Path: w.SpecPath() + ".priorityClassName"}}
	}
}

// refRule reports references to objects of group/kind the input lacks.
func refRule(id, kind, group string, namespaced bool, sev finding.Severity, refs func(*cluster.Workload) []podRef) Rule {
	return Rule{
		Meta: finding.Rule{
			ID:    id,
			Title: "Workload references a " + kind + " the input does not define",
			Description: "The pod template names a " + kind + " that is not in the input, so the pods will not start (or, for image pull secrets, will fail to pull private images) unless it already exists in the cluster. " +
				"Reported only when the input defines at least one " + kind + " (or with --strict-refs); optional references are ignored.",
			Remediation: "Add the " + kind + " to the manifests or fix the name.",
			Severity:    sev,
			Categories:  []string{finding.CategoryCorrectness},
		},
		Workload: func(c *Context, r *Report, w *cluster.Workload) {
			if !c.Opts.StrictRefs && !c.Model.Has(group, kind) {
				return
			}
			for _, ref := range refs(w) {
				ns := w.Namespace()
				if !namespaced {
					ns = ""
				}
				if ref.Optional || ref.Name == "" || c.Model.Get(group, kind, ns, ref.Name) != nil {
					continue
				}
				if kind == "ConfigMap" && ref.Name == "kube-root-ca.crt" {
					continue // published into every namespace by kube-controller-manager
				}
				if namespaced {
					r.Addf(w.Object, ref.Path, "%s %q does not exist in namespace %q", kind, ref.Name, ns)
				} else {
					r.Addf(w.Object, ref.Path, "%s %q does not exist", kind, ref.Name)
				}
			}
		},
	}
}

func refRules() []Rule {
	return []Rule{
		refRule("missing-configmap", "ConfigMap", "", true, finding.SeverityError, configMapRefs),
		refRule("missing-secret", "Secret", "", true, finding.SeverityError, secretRefs),
		refRule("missing-pvc", "PersistentVolumeClaim", "", true, finding.SeverityError, pvcRefs),
		refRule("missing-service-account", "ServiceAccount", "", true, finding.SeverityError, serviceAccountRefs),
		refRule("missing-priority-class", "PriorityClass", "scheduling.k8s.io", false, finding.SeverityError, priorityClassRefs),
	}
}
