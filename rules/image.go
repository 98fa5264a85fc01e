package rules

import (
	"strings"

	"github.com/kubeplan/kubeplan/lint/cluster"
	"github.com/kubeplan/kubeplan/lint/finding"
	corev1 "k8s.io/api/core/v1"
)

// imageTag splits an image reference into its tag and digest. The tag is
// the part after the last ':' that follows the last '/', so a registry port
// ("registry:5000/app") is not a tag.
func imageTag(image string) (tag, digest string) {
	if i := strings.Index(image, "@"); i >= 0 {
		image, digest = image[:i], image[i+1:]
	}
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		tag = image[colon+1:]
	}
	return tag, digest
}

func latestTagRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "latest-tag",
			Title:            "Image without a tag or with the latest tag",
			Description:      "A container image without a tag or digest, or tagged latest, can change under the workload: two pods of one rollout may run different code and a rollback does not restore the old image.",
			Remediation:      "Pin the image to a specific version tag or, better, a digest (image@sha256:...).",
			Severity:         finding.SeverityWarning,
			Categories:       []string{finding.CategoryReliability, finding.CategorySecurity},
			SecuritySeverity: "3.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				tag, digest := imageTag(c.Container.Image)
				switch {
				case c.Container.Image == "" || digest != "":
				case tag == "":
					r.Addf(w.Object, c.Path+".image", "container %q uses image %q without a tag, which means latest", c.Container.Name, c.Container.Image)
				case tag == "latest":
					r.Addf(w.Object, c.Path+".image", "container %q uses image %q with the latest tag", c.Container.Name, c.Container.Image)
				}
			}
		},
	}
}

// effectivePullPolicy is the imagePullPolicy after API defaulting: Always
// for an untagged or :latest image without a digest, IfNotPresent otherwise
// (k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Container).
func effectivePullPolicy(c *corev1.Container) corev1.PullPolicy {
	if c.ImagePullPolicy != "" {
		return c.ImagePullPolicy
	}
	tag, digest := imageTag(c.Image)
	if digest == "" && (tag == "" || tag == "latest") {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

func imagePullPolicyRule() Rule {
	return Rule{
		Meta: finding.Rule{
			ID:               "image-pull-policy-not-always",
			Title:            "Image pull policy is not Always",
			Description:      "With imagePullPolicy IfNotPresent or Never, a node reuses a cached image without checking the registry, so imagePullSecrets are not re-validated and a re-pushed tag is not picked up. kube-score and Polaris report this by default.",
			Remediation:      "Set imagePullPolicy: Always, or pin images by digest so the cache cannot be stale.",
			Severity:         finding.SeverityNote,
			Categories:       []string{finding.CategorySecurity, finding.CategoryReliability},
			SecuritySeverity: "2.0",
		},
		Workload: func(_ *Context, r *Report, w *cluster.Workload) {
			for _, c := range w.Containers() {
				if _, digest := imageTag(c.Container.Image); digest != "" {
					continue
				}
				if p := effectivePullPolicy(c.Container); p != corev1.PullAlways {
					path := c.Path + ".imagePullPolicy"
					if c.Container.ImagePullPolicy == "" {
						path = c.Path + ".image"
					}
					r.Addf(w.Object, path, "container %q pulls its image with policy %s", c.Container.Name, p)
				}
			}
		},
	}
}
