package rbac

import (
	"github.com/kubeplan/kubeplan/lint/finding"
)

// risk is one dangerous permission: a rule granting any of probes is a
// risky grant of rule ID.
type risk struct {
	rule   finding.Rule
	what   string
	probes []Request
}

func secRule(id, title, desc, remediation, secSev string, sev finding.Severity) finding.Rule {
	return finding.Rule{ID: id, Title: title, Description: desc, Remediation: remediation, Severity: sev,
		Categories: []string{finding.CategorySecurity}, SecuritySeverity: secSev, Source: analyzerName}
}

func probes(verbs []string, group string, resources ...string) []Request {
	var out []Request
	for _, r := range resources {
		res, sub, _ := cutSub(r)
		for _, v := range verbs {
			out = append(out, Request{Verb: v, APIGroup: group, Resource: res, Subresource: sub, Namespace: "ns"})
		}
	}
	return out
}

func cutSub(r string) (string, string, bool) {
	for i := 0; i < len(r); i++ {
		if r[i] == '/' {
			return r[:i], r[i+1:], true
		}
	}
	return r, "", false
}

func list(s ...string) []string { return s }

// risks returns the dangerous permissions, each with its rule.
func risks() []risk {
	write := list("create", "update", "patch")
	podCreate := probes(list("create"), "", "pods", "replicationcontrollers")
	podCreate = append(podCreate, probes(list("create"), "apps", "deployments", "replicasets", "statefulsets", "daemonsets")...)
	podCreate = append(podCreate, probes(list("create"), "batch", "jobs", "cronjobs")...)
	return []risk{
		{rule: secRule("rbac-secrets-read", "Role can read Secrets",
			"A rule grants get, list or watch on secrets. Whoever holds it reads every credential in scope, including service account tokens of other identities.",
			"Grant access to the named Secrets the workload needs (resourceNames with get), or mount them instead of reading them through the API.", "7.5", finding.SeverityWarning),
			what: "read secrets", probes: probes(list("get", "list", "watch"), "", "secrets")},
		{rule: secRule("rbac-serviceaccount-token-create", "Role can mint service account tokens",
			"A rule grants create on serviceaccounts/token: its holder can act as any service account in scope.",
			"Remove create on serviceaccounts/token, or limit it with resourceNames to the one account that needs it.", "8.0", finding.SeverityWarning),
			what: "create service account tokens", probes: probes(list("create"), "", "serviceaccounts/token")},
		{rule: secRule("rbac-pod-create", "Role can create pods or pod-creating workloads",
			"A rule grants create on pods or on a workload that creates pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). A pod can run as any service account of its namespace and mount its Secrets, so this is every permission of that namespace's service accounts.",
			"Grant pod creation only to deployment pipelines, and keep powerful service accounts out of namespaces where others can create pods.", "6.5", finding.SeverityNote),
			what: "create pods (or pod-creating workloads)", probes: podCreate},
		{rule: secRule("rbac-pod-exec", "Role can exec, attach or port-forward into pods",
			"A rule grants pods/exec, pods/attach or pods/portforward (get or create: the verb changed across Kubernetes versions). Its holder runs commands in running containers, with their service account token and mounted Secrets.",
			"Limit exec to break-glass roles, or to named pods with resourceNames.", "7.0", finding.SeverityWarning),
			what: "exec, attach or port-forward into pods", probes: probes(list("get", "create"), "", "pods/exec", "pods/attach", "pods/portforward")},
		{rule: secRule("rbac-pod-ephemeral-containers", "Role can add ephemeral containers",
			"A rule grants update or patch on pods/ephemeralcontainers: its holder adds a debug container to a running pod, with the pod's identity.",
			"Grant ephemeral containers only to break-glass roles.", "7.0", finding.SeverityWarning),
			what: "add ephemeral containers to pods", probes: probes(list("update", "patch"), "", "pods/ephemeralcontainers")},
		{rule: secRule("rbac-nodes-proxy", "Role can use the node proxy",
			"A rule grants nodes/proxy: its holder talks to the kubelet API directly, which can run commands in any pod on the node and bypasses audit and admission.",
			"Remove nodes/proxy; monitoring needs only nodes/metrics or nodes/stats.", "8.5", finding.SeverityWarning),
			what: "proxy to nodes (the kubelet API)", probes: probes(list("get", "create"), "", "nodes/proxy")},
		{rule: secRule("rbac-escalate-bind", "Role can escalate or bind roles",
			"A rule grants escalate or bind on roles or clusterroles: its holder can create roles or bindings granting permissions they do not hold.",
			"Remove escalate and bind, or limit bind with resourceNames to the roles that may be handed out.", "8.5", finding.SeverityWarning),
			what: "escalate or bind roles", probes: probes(list("escalate", "bind"), "rbac.authorization.k8s.io", "roles", "clusterroles")},
		{rule: secRule("rbac-impersonate", "Role can impersonate",
			"A rule grants impersonate on users, groups, serviceaccounts, userextras or uids: its holder acts as another identity, possibly system:masters.",
			"Remove impersonate, or limit it with resourceNames to the identities that must be impersonated.", "8.5", finding.SeverityWarning),
			what: "impersonate users, groups or service accounts", probes: append(probes(list("impersonate"), "", "users", "groups", "serviceaccounts"), probes(list("impersonate"), "authentication.k8s.io", "userextras/scopes", "uids")...)},
		{rule: secRule("rbac-csr-approve", "Role can approve certificate signing requests",
			"A rule grants update or patch on certificatesigningrequests/approval (or approve on signers): its holder can issue client certificates, for example for system:masters.",
			"Leave CSR approval to the controller manager.", "8.0", finding.SeverityWarning),
			what: "approve certificate signing requests", probes: append(probes(list("update", "patch"), "certificates.k8s.io", "certificatesigningrequests/approval"), probes(list("approve"), "certificates.k8s.io", "signers")...)},
		{rule: secRule("rbac-webhook-config-write", "Role can change admission webhooks",
			"A rule grants create, update or patch on mutating or validating webhook configurations: its holder can intercept or rewrite every object sent to the API server.",
			"Grant webhook configuration writes only to the operator that owns the webhook, with resourceNames.", "8.0", finding.SeverityWarning),
			what: "write admission webhook configurations", probes: probes(write, "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "validatingwebhookconfigurations")},
		{rule: secRule("rbac-persistentvolume-create", "Role can create PersistentVolumes",
			"A rule grants create on persistentvolumes: a hostPath volume gives access to any node's file system.",
			"Let a storage provisioner create PersistentVolumes; users create PersistentVolumeClaims.", "6.5", finding.SeverityNote),
			what: "create persistent volumes", probes: probes(list("create"), "", "persistentvolumes")},
		{rule: secRule("rbac-namespace-modify", "Role can modify Namespaces",
			"A rule grants update or patch on namespaces: its holder can change the namespace's pod security labels and so run privileged pods.",
			"Remove namespace update and patch from roles that are not cluster administration.", "6.0", finding.SeverityNote),
			what: "modify namespaces (their pod security labels)", probes: probes(list("update", "patch"), "", "namespaces")},
		{rule: secRule("rbac-node-status-patch", "Role can patch node status",
			"A rule grants patch or update on nodes/status: its holder can change node labels and capacity and attract pods, a path used to steal workloads.",
			"Leave node status to the kubelets (the Node authorizer).", "6.0", finding.SeverityNote),
			what: "patch node status", probes: probes(list("patch", "update"), "", "nodes/status")},
	}
}
