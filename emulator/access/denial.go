package access

import "fmt"

// The texts below follow captures of the real service's 403 bodies:
//   - access policy (innererror AccessDenied): "The user, group or application
//     'appid=...;oid=...;iss=https://sts.windows.net/<tenant>/' does not have
//     secrets list permission on key vault '<vault>;location=<region>'. For help
//     resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"
//     — turbot/steampipe-plugin-azure#127, ansible-collections/azure#635;
//   - RBAC (innererror ForbiddenByRbac): "Caller is not authorized to perform
//     action on resource.\r\nIf role assignments, deny assignments or role
//     definitions were changed recently, please observe propagation
//     time.\r\nCaller: ...\r\nAction: '...'\r\nResource: '...'\r\nAssignment:
//     (not found)\r\nDenyAssignmentId: null\r\nDecisionReason:
//     'DeniedWithNoValidRBAC' \r\nVault: <vault>;location=<region>\r\n"
//     — piyushsachdeva/Terraform_AKS#2, hashicorp/terraform-provider-azurerm#27817;
//   - firewall (innererror ForbiddenByFirewall): "Client address is not
//     authorized and caller is not a trusted service.\r\nClient address:
//     <ip>\r\nCaller: ...\r\nVault: <vault>;location=<region>" — the first
//     sentence from MicrosoftDocs/azure-docs#52649 and Key Vault's common error
//     codes page (ForbiddenByFirewall); the lines after it follow the same
//     "Caller:"/"Vault:" layout as the RBAC text (not confirmed verbatim).

func (d *Decider) caller(c Caller) string {
	return fmt.Sprintf("appid=%s;oid=%s;iss=https://sts.windows.net/%s/", c.ClientID, c.ObjectID, c.TenantID)
}

func (d *Decider) vault() string { return d.cfg.VaultName + ";location=" + d.cfg.Location }

func (d *Decider) policyDenial(c Caller, op Operation) *Denial {
	return &Denial{Inner: InnerPolicy, Message: fmt.Sprintf(
		"The user, group or application '%s' does not have %s %s permission on key vault '%s'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
		d.caller(c), op.Collection, op.Permission, d.vault())}
}

func (d *Decider) rbacDenial(c Caller, op Operation) *Denial {
	res := "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/emulator/providers/microsoft.keyvault/vaults/" + d.cfg.VaultName
	if op.Name != "" {
		res += "/" + string(op.Collection) + "/" + op.Name
	}
	return &Denial{Inner: InnerRBAC, Message: fmt.Sprintf(
		"Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: %s\r\nAction: '%s'\r\nResource: '%s'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: %s\r\n",
		d.caller(c), dataAction(op), res, d.vault())}
}

func (d *Decider) firewallDenial(c Caller) *Denial {
	return &Denial{Inner: InnerFirewall, Message: fmt.Sprintf(
		"Client address is not authorized and caller is not a trusted service.\r\nClient address: %s\r\nCaller: %s\r\nVault: %s",
		c.Addr, d.caller(c), d.vault())}
}
