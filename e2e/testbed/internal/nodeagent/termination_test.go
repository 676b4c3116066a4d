package nodeagent

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestTerminationMessageIsCappedAt4KiB(t *testing.T) {
	msg := TerminationMessage([]byte(strings.Repeat("x", 5000)), nil, corev1.TerminationMessageReadFile, false)
	if len(msg) != 4096 {
		t.Fatalf("len = %d, want 4096", len(msg))
	}
}

func TestFallbackUsesLogTailWhenFileEmptyAndFailed(t *testing.T) {
	msg := TerminationMessage(nil, []byte("boom\n"), corev1.TerminationMessageFallbackToLogsOnError, true)
	if msg != "boom\n" {
		t.Fatalf("msg = %q", msg)
	}
}

func TestFallbackIgnoresLogWhenContainerSucceeded(t *testing.T) {
	if msg := TerminationMessage(nil, []byte("fine\n"), corev1.TerminationMessageFallbackToLogsOnError, false); msg != "" {
		t.Fatalf("msg = %q, want empty", msg)
	}
}

func TestFallbackPrefersTheFile(t *testing.T) {
	msg := TerminationMessage([]byte("from file"), []byte("log"), corev1.TerminationMessageFallbackToLogsOnError, true)
	if msg != "from file" {
		t.Fatalf("msg = %q", msg)
	}
}

func TestLogTailKeepsLast80Lines(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString("l\n")
	}
	tail := LogTail([]byte(b.String()), 2048, 80)
	if n := strings.Count(string(tail), "\n"); n != 80 {
		t.Fatalf("tail has %d lines, want 80", n)
	}
}

func TestLogTailKeepsLast2048Bytes(t *testing.T) {
	tail := LogTail([]byte(strings.Repeat("y", 3000)), 2048, 80)
	if len(tail) != 2048 {
		t.Fatalf("len = %d, want 2048", len(tail))
	}
}

func TestOOMKillCounterIsParsed(t *testing.T) {
	if n := parseOOMKills("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\noom_group_kill 0\n"); n != 1 {
		t.Fatalf("oom_kill = %d, want 1", n)
	}
}
