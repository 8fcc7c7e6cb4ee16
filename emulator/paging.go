package emulator

import (
	"encoding/base64"
	"net/url"
	"strconv"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// maxPage is the largest maxresults Key Vault accepts, and the page size when
// none is asked for.
const maxPage = 25

// page is a list request's position: how many items, and after which key.
type page struct {
	size     int
	after    string
	explicit bool // maxresults was given, so nextLink repeats it
}

// page reads maxresults (1..25) and $skiptoken from the query.
func (rq *request) page() (page, *kverror.Error) {
	q := rq.r.URL.Query()
	p := page{size: maxPage}
	if q.Has("maxresults") {
		n, err := strconv.Atoi(q.Get("maxresults"))
		if err != nil || n < 1 || n > maxPage {
			return p, kverror.BadParameter("Invalid value for maxresults: '" + clip(q.Get("maxresults")) +
				"'. It must be an integer between 1 and 25.")
		}
		p.size, p.explicit = n, true
	}
	if tok := q.Get("$skiptoken"); tok != "" {
		after, err := base64.RawURLEncoding.DecodeString(tok)
		// Every cursor the emulator hands out is an object name or a version,
		// so a token that decodes to anything else was not ours: refuse it
		// rather than silently answer an empty page (found by the bad-input
		// battery).
		if err != nil || !validName(string(after)) {
			return p, kverror.BadParameter("The $skiptoken is not valid for this operation.")
		}
		p.after = string(after)
	}
	return p, nil
}

// nextLink is the absolute URL of the page after next (a store key), or nil
// when there is none. Like the real service's, it repeats api-version and
// maxresults and carries an opaque $skiptoken.
func (rq *request) nextLink(path string, p page, next string) *string {
	if next == "" {
		return nil
	}
	q := "?api-version=" + url.QueryEscape(rq.apiVersion) +
		"&$skiptoken=" + base64.RawURLEncoding.EncodeToString([]byte(next))
	if p.explicit {
		q += "&maxresults=" + strconv.Itoa(p.size)
	}
	link := rq.base + path + q
	return &link
}
