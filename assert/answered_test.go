package assert_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
	"github.com/kvquota/kvquota/scenarios"
)

// TestTargetThatStoppedAnsweringFailsUnasked: answers for 5 s, then only
// connection errors. The answered verdict comes without being asked for,
// fails, and says when the target stopped and how many got no answer.
func TestTargetThatStoppedAnsweringFailsUnasked(t *testing.T) {
	t.Parallel()
	s := &stream{}
	s.every(0, 100*time.Millisecond, 50, 200)           // 0 .. 4.9 s answered
	s.every(5*time.Second, 100*time.Millisecond, 30, 0) // then refused
	vs := check(t, input(t, limits.Sliding, scenarios.CheckNoThrottle), s.shuffled(2))
	require.False(t, (results.Overall(vs) == results.Passed))
	v := only(t, vs, scenarios.CheckAnswered, "")
	assert.False(t, v.Pass)
	assert.Equal(t, 50.0, v.Measured)
	assert.Equal(t, 80.0, v.Expected)
	assert.Equal(t, results.AtLeast, v.Comparison)
	assert.Zero(t, v.Tolerance)
	require.NotNil(t, v.At)
	assert.Equal(t, 4900*time.Millisecond, *v.At)
	assert.Contains(t, v.Detail, "stopped answering 4.90 s into the attack")
	assert.Contains(t, v.Detail, "all 30 requests sent after it got no answer")
	assert.Contains(t, v.Detail, "in all 30 of 80 requests (37.5%) got none")
	assert.Contains(t, v.Detail, "connection refused")
	// The other verdict still passes on what was answered.
	assert.True(t, only(t, vs, scenarios.CheckNoThrottle, limits.Secrets).Pass)
}

// TestScatteredUnansweredAreOnlyJudgedWhenAsked: one refused request amid
// answers is a note, unless the scenario asks for answered, whose tolerance
// is the share allowed to go unanswered.
func TestScatteredUnansweredAreOnlyJudgedWhenAsked(t *testing.T) {
	t.Parallel()
	s := &stream{}
	s.every(0, 10*time.Millisecond, 999, 200)
	s.add(3*time.Second, "GET", getURL, 0)
	vs := check(t, input(t, limits.Sliding, scenarios.CheckNoThrottle), s.seq())
	require.Len(t, vs, 1, "no answered verdict unasked: the target kept answering")

	in := input(t, limits.Sliding, scenarios.CheckAnswered)
	v := only(t, check(t, in, s.seq()), scenarios.CheckAnswered, "")
	assert.False(t, v.Pass)
	assert.Equal(t, 999.0, v.Measured)
	assert.Contains(t, v.Detail, "1 of 1000 requests (0.1%) got no answer, the first sent at 3.00 s")

	in.Expect[0].Tolerance = 0.002
	v = only(t, check(t, in, s.seq()), scenarios.CheckAnswered, "")
	assert.True(t, v.Pass, v.Detail)

	ok := &stream{}
	ok.every(0, 10*time.Millisecond, 10, 200)
	v = only(t, check(t, input(t, limits.Sliding, scenarios.CheckAnswered), ok.seq()), scenarios.CheckAnswered, "")
	assert.True(t, v.Pass)
	assert.Equal(t, "The target answered all 10 requests.", v.Detail)
}

// TestStoppedWithARefusalBeforeTheLastAnswer: while a server shuts down, a
// new connection can be refused just before a request on an open one is
// answered; the target still stopped answering.
func TestStoppedWithARefusalBeforeTheLastAnswer(t *testing.T) {
	t.Parallel()
	s := &stream{}
	s.every(0, 100*time.Millisecond, 20, 200)           // to 1.9 s
	s.add(1850*time.Millisecond, "GET", getURL, 0)      // refused amid the last answers
	s.every(2*time.Second, 100*time.Millisecond, 10, 0) // then nothing
	v := only(t, check(t, input(t, limits.Fixed, scenarios.CheckNoThrottle), s.seq()), scenarios.CheckAnswered, "")
	assert.False(t, v.Pass)
	assert.Contains(t, v.Detail, "stopped answering 1.90 s into the attack")
	assert.Contains(t, v.Detail, "all 10 requests sent after it got no answer")
	assert.Contains(t, v.Detail, "in all 11 of 31 requests (35.5%) got none")
}
