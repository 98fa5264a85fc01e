package team.payments

import rego.v1

deny contains "team.payments: everything is denied" if true
