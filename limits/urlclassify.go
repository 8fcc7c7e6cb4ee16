package limits

import (
	"net/url"
	"strings"
)

// Classifier names the transaction class of a stored request from its method
// and URL; ok is false for a request the classifier cannot place. The
// classifiers made here remember what they have seen, so one is not safe for
// concurrent use: give each reader of a run its own.
type Classifier func(method, rawURL string) (c Class, ok bool)

// NewURLClassifier returns the default classifier, shared by the checks and the
// plots: ClassifySecretRequest on the URL's path, remembered for the first maxMemo distinct method and path
// pairs. A scenario's mix draws from a few dozen names, so almost every one of
// a million results is classified by one map look-up instead of a split.
func NewURLClassifier() Classifier {
	type key struct{ method, path string }
	type answer struct {
		class Class
		ok    bool
	}
	memo := make(map[key]answer)
	return func(method, rawURL string) (Class, bool) {
		k := key{method, urlPath(rawURL)}
		if a, ok := memo[k]; ok {
			return a.class, a.ok
		}
		c, ok := ClassifySecretRequest(k.method, k.path)
		if len(memo) < maxMemo {
			// Clone: the key must not pin the result the strings came from.
			memo[key{strings.Clone(k.method), strings.Clone(k.path)}] = answer{c, ok}
		}
		return c, ok
	}
}

// maxMemo bounds the classifier's memory of paths.
const maxMemo = 4096

// urlPath returns the path of a URL without parsing it in full: a run holds a
// million URLs and url.Parse would be most of the cost of a check. It falls
// back to url.Parse only for escaped paths, which Key Vault names never need.
func urlPath(raw string) string {
	s := raw
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+len("://"):]
		j := strings.IndexByte(s, '/')
		if j < 0 {
			return "/"
		}
		s = s[j:]
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if strings.IndexByte(s, '%') >= 0 {
		if u, err := url.Parse(raw); err == nil {
			return u.Path
		}
	}
	return s
}
