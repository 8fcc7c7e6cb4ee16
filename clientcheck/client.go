package clientcheck

import (
	"slices"

	"github.com/kvquota/kvquota/emulator"
)

// Client is one client of the vault as the emulator tells them apart: the
// application of its token and the address its connections come from.
// Instances of one application on one host share a Client; instances on
// separate hosts (or loopback addresses) do not.
type Client struct {
	AppID    string `json:"appid"`
	ObjectID string `json:"oid,omitempty"`
	Source   string `json:"source"`
}

// String names a client in reports, e.g. "4d1f...@127.0.0.1".
func (c Client) String() string { return c.AppID + "@" + c.Source }

func clientOf(r *emulator.RequestInfo) Client {
	return Client{AppID: r.AppID, ObjectID: r.ObjectID, Source: r.Source}
}

// byClient groups requests (in arrival order) per client, the clients in
// order of first appearance.
func byClient(reqs []emulator.RequestInfo) ([]Client, map[Client][]*emulator.RequestInfo) {
	var order []Client
	per := map[Client][]*emulator.RequestInfo{}
	for i := range reqs {
		c := clientOf(&reqs[i])
		if _, ok := per[c]; !ok {
			order = append(order, c)
		}
		per[c] = append(per[c], &reqs[i])
	}
	slices.SortStableFunc(order, func(a, b Client) int {
		// Anonymous requests (challenge round trips, refused tokens) last.
		return boolInt(a.AppID == emulator.Anonymous) - boolInt(b.AppID == emulator.Anonymous)
	})
	return order, per
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
