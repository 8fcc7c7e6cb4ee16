package clientcheck

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteClients prints one line per client: its requests, 429s, busiest
// window and back-off figures, for the text report after the verdicts.
func WriteClients(w io.Writer, f Findings) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT\tREQUESTS\t429s\t401s\tMAX WEIGHTED/WINDOW\tRETRIES\tATTRIBUTED\tNEW CALLS AFTER 429\tSHORTEST DELAY\tWORST RETRY")
	for _, c := range f.Clients {
		shortest, worst := "-", "-"
		if c.ShortestDelay != nil {
			shortest = wait(c.ShortestDelay.Delay)
		}
		if c.Worst != nil {
			worst = fmt.Sprintf("#%d waited %s of %s", c.Worst.N, wait(c.Worst.Delay), c.Worst.Required)
		}
		by := "-"
		if c.Retries+c.Recalls > 0 {
			by = c.Attribution
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%d\t%s\t%d\t%s\t%s\n", c.Name, c.Requests, c.Throttled, c.Unauthorized, c.MaxWeighted, c.Retries, by, c.Recalls, shortest, worst)
	}
	tw.Flush()
}
