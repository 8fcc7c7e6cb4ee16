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
			SecretsCreate:      2000,
			Secrets:            2000,
			CertificatesImport: 2000,
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

// profile2021 is the documentation dated 2021-05-28, current at the time of
// writing: secret CREATE 300, all other secret transactions 4000.
func profile2021() *Profile {
	p := &Profile{
		Name:               "2021",
		Source:             "MicrosoftDocs/azure-docs includes/key-vault-limits.md, 2021-05-28",
		Window:             10 * time.Second,
		SubscriptionFactor: 5,
		Limits: map[Class]int{
			SecretsCreate:      300,
			Secrets:            4000,
			CertificatesImport: 4000,
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
