package limits

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// keyTypeTitles are the row titles of the documentation's keys table.
var keyTypeTitles = map[KeyType]string{
	RSA2048: "RSA 2048",
	RSA3072: "RSA 3072",
	RSA4096: "RSA 4096",
	EC:      "EC P-256, P-384, P-521, SECP256K1",
}

// WriteTable prints the profile as the documentation's tables, followed by the
// class names that --limit and scenario files use.
func WriteTable(w io.Writer, p *Profile) {
	fmt.Fprintf(w, "Profile %s (%s)\n", p.Name, p.Source)
	fmt.Fprintf(w, "Maximum transactions allowed in %s, per vault per region; a subscription may make %dx a vault's, for all transaction types.\n\n",
		p.Window, p.SubscriptionFactor)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Key type\tHSM CREATE\tHSM all other\tSoftware CREATE\tSoftware all other\t")
	for _, kt := range KeyTypes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", keyTypeTitles[kt],
			p.Limit(KeyClass(kt, true, true)), p.Limit(KeyClass(kt, true, false)),
			p.Limit(KeyClass(kt, false, true)), p.Limit(KeyClass(kt, false, false)))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Secrets, managed storage account keys and vault transactions:")
	switch {
	case p.SharedImport:
		fmt.Fprintf(w, "  CREATE secret, IMPORT certificate and IMPORT key (together): %d\n  all other transactions: %d\n", p.Limit(SecretsCreate), p.Limit(Secrets))
	case p.Limit(SecretsCreate) == p.Limit(Secrets):
		fmt.Fprintf(w, "  all transactions: %d\n", p.Limit(Secrets))
	default:
		fmt.Fprintf(w, "  secret CREATE: %d\n  all other transactions: %d\n", p.Limit(SecretsCreate), p.Limit(Secrets))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Classes (for --limit CLASS=N and scenario 'limits:'):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range AllClasses() {
		mark := ""
		for _, o := range p.Overridden {
			if o == c {
				mark = "  (changed from the documentation)"
			}
		}
		fmt.Fprintf(tw, "  %s\t%d\t%.1f/s%s\n", c, p.Limit(c), p.Rate(c), mark)
	}
	tw.Flush()
}
