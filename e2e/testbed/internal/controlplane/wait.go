package controlplane

import (
	"context"
	"fmt"
	"time"
)

// StartupError says which component did not come up, and why; its log explains more.
type StartupError struct {
	Component Component
	Err       error
}

func (e *StartupError) Error() string { return fmt.Sprintf("%s: %v", e.Component, e.Err) }

func (e *StartupError) Unwrap() error { return e.Err }

// pollInterval is how often probes are retried; start-up takes seconds, so a fifth of a
// second costs nothing noticeable and keeps the API server unbothered.
const pollInterval = 200 * time.Millisecond

// WaitReady returns once every probe holds. It fails early, naming the component, when a
// watched process exits, and at deadline with the first probe still failing and its
// last error.
// Returns a *StartupError on failure.
func WaitReady(ctx context.Context, deadline time.Time, watched []*Process, probes []Probe) error {
	pending := append([]Probe(nil), probes...)
	var lastErr []error
	for {
		for _, p := range watched {
			select {
			case <-p.Exited():
				return &StartupError{p.Component, fmt.Errorf("exited (%s) while waiting for it to come up", p.ExitStatus())}
			default:
			}
		}
		var still []Probe
		var stillErr []error
		for _, probe := range pending {
			if err := probe.Check(ctx); err != nil {
				still = append(still, probe)
				stillErr = append(stillErr, err)
			}
		}
		pending, lastErr = still, stillErr
		if len(pending) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return &StartupError{pending[0].Component,
				fmt.Errorf("timed out waiting for %s (last error: %v)", pending[0].What, lastErr[0])}
		}
		timer := time.NewTimer(pollInterval)
		select {
		case <-ctx.Done():
			timer.Stop()
			return &StartupError{pending[0].Component, ctx.Err()}
		case <-timer.C:
		}
	}
}
