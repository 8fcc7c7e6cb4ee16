package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// follow lists from path and follows nextLink to the end, returning every
// page's ids and the nextLinks seen.
func follow(t *testing.T, e *env, path string) (pages [][]string, links []string) {
	t.Helper()
	target := withVersion(path)
	for range 100 {
		w := e.send(http.MethodGet, target, nil, "Bearer "+e.token)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		require.Contains(t, w.Body.String(), `"nextLink":`, "nextLink is always present, null on the last page")
		l := decode[list](t, w)
		var ids []string
		for _, b := range l.Value {
			assert.Nil(t, b.Value, "list items carry no value")
			ids = append(ids, b.ID)
		}
		pages = append(pages, ids)
		if l.NextLink == nil {
			return pages, links
		}
		links = append(links, *l.NextLink)
		u, err := url.Parse(*l.NextLink)
		require.NoError(t, err)
		require.Equal(t, "https", u.Scheme, "nextLink is absolute")
		require.Equal(t, "vault.test", u.Host)
		target = u.RequestURI()
	}
	t.Fatal("nextLink never ended")
	return nil, nil
}

func TestListSecretsFollowsNextLinkToTheEnd(t *testing.T) {
	e := newEnv(t, Config{})
	var want []string
	for i := range 30 {
		name := fmt.Sprintf("secret-%02d", 29-i)
		require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/"+name, map[string]any{"value": "v"}).Code)
		want = append(want, base+"/secrets/"+name)
	}
	sort.Strings(want)

	pages, links := follow(t, e, "/secrets")
	require.Len(t, pages, 2)
	assert.Len(t, pages[0], 25, "the service default page size")
	assert.Len(t, pages[1], 5)
	assert.Equal(t, want, append(pages[0], pages[1]...), "in name order, each once; ids name secrets, not versions")
	require.Len(t, links, 1)
	assert.Contains(t, links[0], "api-version=7.6")
	assert.Contains(t, links[0], "$skiptoken=")
	assert.NotContains(t, links[0], "maxresults", "not asked for, not repeated")

	pages, links = follow(t, e, "/secrets?maxresults=7")
	var sizes []int
	var all []string
	for _, p := range pages {
		sizes = append(sizes, len(p))
		all = append(all, p...)
	}
	assert.Equal(t, []int{7, 7, 7, 7, 2}, sizes)
	assert.Equal(t, want, all)
	for _, l := range links {
		assert.True(t, strings.HasPrefix(l, base+"/secrets?api-version=7.6&$skiptoken="), l)
		assert.True(t, strings.HasSuffix(l, "&maxresults=7"), l)
	}

	pages, _ = follow(t, e, "/secrets?maxresults=25&api-version=2016-10-01")
	assert.Len(t, pages, 2)
}

func TestListVersionsAndDeletedPage(t *testing.T) {
	e := newEnv(t, Config{})
	var want []string
	for range 5 {
		w := e.call(http.MethodPut, "/secrets/multi", map[string]any{"value": "v"})
		require.Equal(t, http.StatusOK, w.Code)
		want = append(want, decode[bundle](t, w).ID)
	}
	sort.Strings(want)
	pages, links := follow(t, e, "/secrets/MULTI/versions?maxresults=2")
	assert.Len(t, pages, 3)
	var all []string
	for _, p := range pages {
		all = append(all, p...)
	}
	assert.Equal(t, want, all, "version ids in order, each with its version")
	for _, l := range links {
		assert.True(t, strings.HasPrefix(l, base+"/secrets/multi/versions?api-version=7.6&$skiptoken="), l)
	}

	for i := range 4 {
		n := fmt.Sprintf("gone-%d", i)
		require.Equal(t, http.StatusOK, e.call(http.MethodPut, "/secrets/"+n, map[string]any{"value": "v"}).Code)
		require.Equal(t, http.StatusOK, e.call(http.MethodDelete, "/secrets/"+n, nil).Code)
	}
	pages, _ = follow(t, e, "/deletedsecrets?maxresults=3")
	require.Len(t, pages, 2)
	assert.Equal(t, []string{base + "/secrets/gone-3"}, pages[1])
}

func TestBadPagingParametersGet400s(t *testing.T) {
	e := newEnv(t, Config{})
	for _, q := range []string{"maxresults=0", "maxresults=26", "maxresults=-1", "maxresults=x", "maxresults=", "$skiptoken=!!!"} {
		for _, path := range []string{"/secrets?", "/deletedsecrets?", "/secrets/a/versions?"} {
			w := e.call(http.MethodGet, path+q, nil)
			assert.Equal(t, http.StatusBadRequest, w.Code, path+q)
			assert.Equal(t, "BadParameter", kvError(t, w).Code, path+q)
		}
	}
	w := e.call(http.MethodGet, "/secrets?maxresults=1", nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"value":[],"nextLink":null}`, w.Body.String())
}
