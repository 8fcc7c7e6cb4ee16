package store

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator/clock"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var versionID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func ptr[T any](v T) *T { return &v }

func TestSetCreatesVersionsAndGetFindsThem(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk)
	v1, err := s.Set("My-Secret", SetParams{Value: "one", ContentType: "text/plain", Tags: map[string]string{"a": "b"}, NotBefore: ptr(int64(100))})
	require.NoError(t, err)
	assert.Regexp(t, versionID, v1.Version)
	assert.Equal(t, "My-Secret", v1.Name)
	assert.True(t, v1.Attributes.Enabled, "enabled by default")
	assert.Equal(t, t0.Unix(), v1.Attributes.Created)
	assert.Equal(t, t0.Unix(), v1.Attributes.Updated)
	assert.Equal(t, int64(100), *v1.Attributes.NotBefore)
	assert.Nil(t, v1.Attributes.Expires)

	clk.Advance(time.Minute)
	v2, err := s.Set("my-secret", SetParams{Value: "two", Enabled: ptr(false)})
	require.NoError(t, err)
	assert.NotEqual(t, v1.Version, v2.Version)
	assert.Equal(t, "My-Secret", v2.Name, "names are case-insensitive and keep their first spelling")
	assert.False(t, v2.Attributes.Enabled)
	assert.Nil(t, v2.Tags)

	latest, err := s.Get("MY-SECRET", "")
	require.NoError(t, err)
	assert.Equal(t, "two", latest.Value)
	old, err := s.Get("my-secret", v1.Version)
	require.NoError(t, err)
	assert.Equal(t, "one", old.Value)
	assert.Equal(t, map[string]string{"a": "b"}, old.Tags)
	_, err = s.Get("my-secret", "0123456789abcdef0123456789abcdef")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.Get("nope", "")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestReturnedSecretsAreCopies(t *testing.T) {
	s := New(clock.NewFake(t0))
	tags := map[string]string{"k": "v"}
	v, err := s.Set("a", SetParams{Value: "x", Tags: tags})
	require.NoError(t, err)
	tags["k"] = "changed by caller"
	v.Tags["k"] = "changed again"
	got, err := s.Get("a", "")
	require.NoError(t, err)
	assert.Equal(t, "v", got.Tags["k"])
}

func TestUpdateChangesOnlyWhatIsGiven(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk)
	v, err := s.Set("a", SetParams{Value: "x", ContentType: "ct", Tags: map[string]string{"k": "v"}})
	require.NoError(t, err)
	clk.Advance(time.Hour)
	u, err := s.Update("a", v.Version, UpdateParams{Expires: ptr(int64(999)), Enabled: ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, "ct", u.ContentType)
	assert.Equal(t, map[string]string{"k": "v"}, u.Tags)
	assert.Equal(t, int64(999), *u.Attributes.Expires)
	assert.False(t, u.Attributes.Enabled)
	assert.Equal(t, t0.Unix(), u.Attributes.Created)
	assert.Equal(t, t0.Add(time.Hour).Unix(), u.Attributes.Updated)
	assert.Equal(t, "x", u.Value)

	u, err = s.Update("a", "", UpdateParams{Tags: map[string]string{}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{}, u.Tags, "an empty tag map clears the tags and stays an empty map ({} in JSON)")
	_, err = s.Update("a", "ffffffffffffffffffffffffffffffff", UpdateParams{})
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestListPagesInNameOrder(t *testing.T) {
	s := New(clock.NewFake(t0))
	for i := range 7 {
		_, err := s.Set(fmt.Sprintf("S-%02d", 6-i), SetParams{Value: "v"})
		require.NoError(t, err)
	}
	var names []string
	after, pages := "", 0
	for {
		page, next := s.List(after, 3)
		pages++
		for _, sec := range page {
			names = append(names, sec.Name)
		}
		if next == "" {
			break
		}
		require.Len(t, page, 3)
		after = next
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, []string{"S-00", "S-01", "S-02", "S-03", "S-04", "S-05", "S-06"}, names)

	all, next := s.List("", 0)
	assert.Len(t, all, 7)
	assert.Empty(t, next)
	page, next := s.List("s-06", 3)
	assert.Empty(t, page)
	assert.Empty(t, next)
}

func TestVersionsPageInVersionOrder(t *testing.T) {
	s := New(clock.NewFake(t0))
	want := map[string]bool{}
	for range 5 {
		v, err := s.Set("a", SetParams{Value: "v"})
		require.NoError(t, err)
		want[v.Version] = true
	}
	var got []string
	after := ""
	for {
		page, next, err := s.Versions("A", after, 2)
		require.NoError(t, err)
		for _, v := range page {
			got = append(got, v.Version)
		}
		if next == "" {
			break
		}
		after = next
	}
	require.Len(t, got, 5)
	assert.IsIncreasing(t, got)
	for _, v := range got {
		assert.True(t, want[v])
	}
	_, _, err := s.Versions("nope", "", 2)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestSoftDeleteRecoverAndPurge(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk)
	v1, err := s.Set("a", SetParams{Value: "one"})
	require.NoError(t, err)
	v2, err := s.Set("a", SetParams{Value: "two"})
	require.NoError(t, err)

	clk.Advance(time.Minute)
	d, err := s.Delete("A")
	require.NoError(t, err)
	assert.Equal(t, v2.Version, d.Version, "a deleted secret shows its latest version")
	assert.Equal(t, t0.Add(time.Minute).Unix(), d.DeletedDate)
	assert.Equal(t, t0.Add(time.Minute+90*24*time.Hour).Unix(), d.ScheduledPurgeDate)

	_, err = s.Get("a", "")
	assert.ErrorIs(t, err, ErrNotFound)
	page, _ := s.List("", 0)
	assert.Empty(t, page)
	_, err = s.Delete("a")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.Set("a", SetParams{Value: "three"})
	assert.ErrorIs(t, err, ErrDeleted, "the name is held by the deleted secret")

	got, err := s.GetDeleted("a")
	require.NoError(t, err)
	assert.Equal(t, d, got)
	deleted, next := s.ListDeleted("", 25)
	assert.Equal(t, []DeletedSecret{d}, deleted)
	assert.Empty(t, next)

	r, err := s.Recover("a")
	require.NoError(t, err)
	assert.Equal(t, v2.Version, r.Version)
	old, err := s.Get("a", v1.Version)
	require.NoError(t, err, "every version comes back")
	assert.Equal(t, "one", old.Value)
	_, err = s.GetDeleted("a")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.Recover("a")
	assert.ErrorIs(t, err, ErrNotFound)

	_, err = s.Delete("a")
	require.NoError(t, err)
	require.NoError(t, s.Purge("a"))
	assert.ErrorIs(t, s.Purge("a"), ErrNotFound)
	_, err = s.GetDeleted("a")
	assert.ErrorIs(t, err, ErrNotFound)
	fresh, err := s.Set("a", SetParams{Value: "new"})
	require.NoError(t, err, "after a purge the name is free")
	_, err = s.Get("a", v1.Version)
	assert.ErrorIs(t, err, ErrNotFound, "purged versions are gone")
	assert.Equal(t, "new", fresh.Value)
}

func TestDeletedSecretsArePurgedWhenTheirRetentionEnds(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk)
	for _, n := range []string{"a", "b"} {
		_, err := s.Set(n, SetParams{Value: "v"})
		require.NoError(t, err)
		_, err = s.Delete(n)
		require.NoError(t, err)
	}
	clk.Advance(Retention - time.Second)
	deleted, _ := s.ListDeleted("", 0)
	assert.Len(t, deleted, 2)
	clk.Advance(time.Second)
	deleted, _ = s.ListDeleted("", 0)
	assert.Empty(t, deleted)
	_, err := s.Set("a", SetParams{Value: "again"})
	assert.NoError(t, err)
	_, err = s.GetDeleted("b")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestConcurrentSetsMakeOneVersionEach(t *testing.T) {
	s := New(clock.NewFake(t0))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				_, err := s.Set("shared", SetParams{Value: fmt.Sprint(i, j)})
				assert.NoError(t, err)
				_, _ = s.Get("shared", "")
				_, _ = s.List("", 5)
			}
		}()
	}
	wg.Wait()
	all, _, err := s.Versions("shared", "", 0)
	require.NoError(t, err)
	assert.Len(t, all, 160)
}
