package rules

// catalog returns every rule of the catalog, once, in a fixed order. It is
// the only registry: no init(), no package-level state.
func catalog() []Rule {
	rules := []Rule{
		// Images.
		latestTagRule(),
		imagePullPolicyRule(),
		// Probes.
		missingReadinessProbeRule(),
		missingLivenessProbeRule(),
		identicalProbesRule(),
		probeNamedPortRule(),
		// Security context.
		privilegedRule(),
		privilegeEscalationRule(),
		runAsNonRootRule(),
		runAsRootUserRule(),
		readOnlyRootFSRule(),
		lowIDRule(),
		addedCapabilitiesRule(),
		netRawRule(),
		dropAllRule(),
		seccompRule(),
		appArmorRule(),
		procMountRule(),
		hostProcessRule(),
		// Host access.
		hostPortRule(),
		hostPathVolumeRule(),
		sensitiveHostMountRule(),
		runtimeSocketRule(),
		unsafeSysctlsRule(),
		// Service accounts, environment, containers.
		automountTokenRule(),
		deprecatedServiceAccountFieldRule(),
		envSecretRule(),
		duplicateEnvRule(),
		configMapSecretRule(),
		duplicateContainerRule(),
		privilegedPortRule(),
		sshPortRule(),
		invalidPortNameRule(),
		// Metadata and placement.
		defaultNamespaceRule(),
		namespaceNotDefinedRule(),
		invalidLabelRule(),
		mismatchingSelectorRule(),
		singleReplicaRule(),
		noAntiAffinityRule(),
		priorityClassNotSetRule(),
		// Jobs.
		cronDeadlineRule(),
		cronConcurrencyRule(),
		jobRestartPolicyRule(),
		jobTTLRule(),
		// Services, Ingresses, NetworkPolicies.
		serviceNoPodsRule(),
		serviceTargetPortRule(),
		serviceReadinessRule(),
		ingressTLSRule(),
		ingressBackendRule(),
		netpolSelectsNothingRule(),
		missingNetpolRule(),
		// Autoscaling and disruption.
		hpaTargetRule(),
		hpaMinMaxRule(),
		hpaFixedRule(),
		hpaMinOneRule(),
		hpaReplicasConflictRule(),
		pdbSelectsNothingRule(),
		pdbBlocksEvictionRule(),
		missingPDBRule(),
		pdbUnhealthyPolicyRule(),
		// Controller semantics.
		selectorOverlapRule(),
		rollingNoProgressRule(),
		rollingAllUnavailableRule(),
		progressDeadlineRule(),
		headlessServiceRule(),
		// Pod Security Standards.
		podSecurityEnforceRule(),
		podSecurityWarnRule(),
		podSecurityBaselineRule(),
		podSecurityRestrictedRule(),
		// Deprecated APIs.
		removedAPIRule(),
		deprecatedAPIRule(),
	}
	rules = append(rules, hostNamespaceRules()...)
	rules = append(rules, resourceRules()...)
	rules = append(rules, serviceTypeRules()...)
	rules = append(rules, refRules()...)
	for i := range rules {
		rules[i].Meta.Source = AnalyzerName
	}
	return rules
}
