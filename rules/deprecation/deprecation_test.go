package deprecation

import (
	"testing"

	admissionregistrationv1beta1 "k8s.io/api/admissionregistration/v1beta1"
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	authenticationv1beta1 "k8s.io/api/authentication/v1beta1"
	authorizationv1beta1 "k8s.io/api/authorization/v1beta1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	certificatesv1beta1 "k8s.io/api/certificates/v1beta1"
	coordinationv1beta1 "k8s.io/api/coordination/v1beta1"
	discoveryv1beta1 "k8s.io/api/discovery/v1beta1"
	eventsv1beta1 "k8s.io/api/events/v1beta1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	flowcontrolv1beta1 "k8s.io/api/flowcontrol/v1beta1"
	flowcontrolv1beta2 "k8s.io/api/flowcontrol/v1beta2"
	flowcontrolv1beta3 "k8s.io/api/flowcontrol/v1beta3"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	nodev1beta1 "k8s.io/api/node/v1beta1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
	schedulingv1beta1 "k8s.io/api/scheduling/v1beta1"
	storagev1beta1 "k8s.io/api/storage/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func testScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		admissionregistrationv1beta1.AddToScheme, appsv1.AddToScheme, appsv1beta1.AddToScheme, appsv1beta2.AddToScheme,
		authenticationv1beta1.AddToScheme, authorizationv1beta1.AddToScheme, batchv1beta1.AddToScheme, certificatesv1beta1.AddToScheme,
		coordinationv1beta1.AddToScheme, discoveryv1beta1.AddToScheme, eventsv1beta1.AddToScheme, extensionsv1beta1.AddToScheme,
		flowcontrolv1beta1.AddToScheme, flowcontrolv1beta2.AddToScheme, flowcontrolv1beta3.AddToScheme, networkingv1beta1.AddToScheme,
		nodev1beta1.AddToScheme, policyv1beta1.AddToScheme, rbacv1beta1.AddToScheme, schedulingv1beta1.AddToScheme, storagev1beta1.AddToScheme,
	} {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestTableAgreesWithGeneratedLifecycle pins the migration guide table to
// the prerelease-lifecycle data k8s.io/api generates for the types it still
// ships: the removal release must agree exactly (that is when the API server
// stops serving the version); the deprecation release may only differ where
// the guide announced it earlier than the generated default; replacements
// must be in the same group (the generated ones sometimes name an
// intermediate beta, such as flowcontrol v1beta3, where the guide names GA).
func TestTableAgreesWithGeneratedLifecycle(t *testing.T) {
	s := testScheme(t)
	for _, want := range Table() {
		t.Run(want.GVK.String(), func(t *testing.T) {
			obj, err := s.New(want.GVK)
			if err != nil {
				t.Skipf("k8s.io/api no longer ships %s", want.GVK)
			}
			got, ok := Lookup(want.GVK, obj)
			if !ok {
				t.Fatalf("generated lifecycle says %s is neither deprecated nor removed", want.GVK)
			}
			if got.Removed != want.Removed {
				t.Errorf("removed: generated %s, table %s", got.Removed, want.Removed)
			}
			if r, ok := obj.(replaced); ok && !want.Replacement.Empty() && r.APILifecycleReplacement().Group != want.Replacement.Group {
				t.Errorf("replacement: generated %s, table %s", r.APILifecycleReplacement(), want.Replacement)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		gvk     schema.GroupVersionKind
		typed   runtime.Object
		target  Version
		want    string
		wantHit bool
	}{
		{name: "extensions/v1beta1 Ingress is removed at v1.22 (generated lifecycle)", gvk: gvk("extensions/v1beta1", "Ingress"), typed: &extensionsv1beta1.Ingress{}, target: Version{1, 22},
			want: "extensions/v1beta1 Ingress is no longer served since v1.22 (target v1.22); use networking.k8s.io/v1 Ingress; backend serviceName/servicePort become service.name/service.port and pathType is required", wantHit: true},
		{name: "batch/v1beta1 CronJob before removal is only deprecated", gvk: gvk("batch/v1beta1", "CronJob"), typed: &batchv1beta1.CronJob{}, target: Version{1, 24},
			want: "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob", wantHit: true},
		{name: "autoscaling/v2beta2 comes from the guide table when k8s.io/api no longer ships it", gvk: gvk("autoscaling/v2beta2", "HorizontalPodAutoscaler"), target: Version{1, 30},
			want: "autoscaling/v2beta2 HorizontalPodAutoscaler is no longer served since v1.26 (target v1.30); use autoscaling/v2 HorizontalPodAutoscaler", wantHit: true},
		{name: "apps/v1 Deployment is stable", gvk: gvk("apps/v1", "Deployment"), typed: &appsv1.Deployment{}, target: Version{1, 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, ok := Lookup(tc.gvk, tc.typed)
			if ok != tc.wantHit {
				t.Fatalf("hit = %v, want %v", ok, tc.wantHit)
			}
			if ok && l.Message(tc.target) != tc.want {
				t.Errorf("message:\n got %s\nwant %s", l.Message(tc.target), tc.want)
			}
		})
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		name, in string
		want     Version
		wantErr  bool
	}{
		{name: "plain", in: "1.29", want: Version{1, 29}},
		{name: "v prefix and patch", in: "v1.30.2", want: Version{1, 30}},
		{name: "garbage", in: "latest", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVersion(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseVersion(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}
