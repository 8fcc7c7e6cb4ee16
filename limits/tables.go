package limits

import "time"

// keyRow is one row of a documented keys table: the limits per 10 s of HSM
// CREATE, HSM all other, software CREATE and software all other.
type keyRow struct {
	hsmCreate, hsmOther, softCreate, softOther int
}

func fill(p *Profile, rows map[KeyType]keyRow) {
	for kt, r := range rows {
		p.Limits[KeyClass(kt, true, true)] = r.hsmCreate
		p.Limits[KeyClass(kt, true, false)] = r.hsmOther
		p.Limits[KeyClass(kt, false, true)] = r.softCreate
		p.Limits[KeyClass(kt, false, false)] = r.softOther
	}
}

// profile2018 is the documentation dated 2018-11-09, the era of the seed
// documents ("2000 requests / 10 s"). Its first keys table is authoritative; the
// second, which swapped the RSA 4096 figures, was removed in 2019 as redundant.
// Secrets and vault transactions: all transactions 2000, so secret set shares
// the figure of every other secret operation.
func profile2018() *Profile {
	p := &Profile{
		Name:               "2018",
		Source:             "MicrosoftDocs/azure-docs includes/key-vault-limits.md, 2018-11-09",
		Window:             10 * time.Second,
		SubscriptionFactor: 5,
		Limits: map[Class]int{
			SecretsCreate: 2000,
			Secrets:       2000,
		},
	}
	fill(p, map[KeyType]keyRow{
		RSA2048: {5, 1000, 10, 2000},
		RSA3072: {5, 250, 10, 500},
		RSA4096: {5, 125, 10, 250},
		EC:      {5, 1000, 10, 2000},
	})
	return p
}

// profile2021 is the documentation dated 2021-05-28: secret CREATE 300, all
// other secret transactions 4000. It is silent on key import; the emulator
// counts an import as its key type's CREATE (Profile.ImportClass), the
// natural reading of a row that names CREATE and "all other".
func profile2021() *Profile {
	p := &Profile{
		Name:               "2021",
		Source:             "MicrosoftDocs/azure-docs includes/key-vault-limits.md, 2021-05-28",
		Window:             10 * time.Second,
		SubscriptionFactor: 5,
		Limits: map[Class]int{
			SecretsCreate: 300,
			Secrets:       4000,
		},
	}
	fill(p, map[KeyType]keyRow{
		RSA2048: {10, 2000, 20, 4000},
		RSA3072: {10, 500, 20, 1000},
		RSA4096: {10, 250, 20, 500},
		EC:      {10, 2000, 20, 4000},
	})
	return p
}

// profile2025 is the revision of the service-limits page current in 2025: the
// key table as in 2021, and the secrets row reading "CREATE secret, IMPORT
// certificate and IMPORT key" together 300 per 10 s, all other transactions
// 4000. Where this was checked (2026-12, with the project's search tool): the
// en-us learn.microsoft.com/azure/key-vault/general/service-limits page (its
// newer layout, "The following limits apply to standard Key Vault operations
// including transaction rate limits for keys, secrets, and certificates")
// shows the 2021 key table unchanged; its source moved to
// MicrosoftDocs/azure-security-docs articles/key-vault/general/service-limits.md
// (ms.date 04/15/2025), which includes the table from reusable-content (not
// readable here); a summary of that page (rate-limits.apis.io, Azure Key
// Vault) gives the shared row: "Secret create / cert import / key import
// (combined) 300 ... collectively across these three operations", all other
// secret/vault transactions 4000. Older localized copies (en-gb, sl-si,
// el-gr) still print the 2021 row "CREATE secret 300". So the figures are
// those of 2021, and what changed is which operations share the 300: the
// emulator counts key and certificate imports in SecretsCreate
// (SharedImport).
func profile2025() *Profile {
	p := profile2021()
	p.Name = "2025"
	p.Source = "learn.microsoft.com azure/key-vault/general/service-limits, 2025 revision (MicrosoftDocs/azure-security-docs, 2025-04-15)"
	p.SharedImport = true
	return p
}
