package nodeagent

import (
	corev1 "k8s.io/api/core/v1"
)

// Limits the kubelet applies to termination messages.
const (
	maxTerminationMessageBytes = 4096
	maxFallbackLogBytes        = 2048
	maxFallbackLogLines        = 80
)

// TerminationMessage returns the message reported for a finished container: the content
// of its terminationMessagePath file capped at 4096 bytes, or, with FallbackToLogsOnError,
// when that file is empty and the container failed, the tail of its log (the last 2048
// bytes or 80 lines, whichever is shorter).
func TerminationMessage(file, logTail []byte, policy corev1.TerminationMessagePolicy, failed bool) string {
	if len(file) > maxTerminationMessageBytes {
		file = file[:maxTerminationMessageBytes]
	}
	if len(file) > 0 || policy != corev1.TerminationMessageFallbackToLogsOnError || !failed {
		return string(file)
	}
	return string(LogTail(logTail, maxFallbackLogBytes, maxFallbackLogLines))
}

// LogTail returns the end of log holding at most maxBytes bytes and maxLines lines.
func LogTail(log []byte, maxBytes, maxLines int) []byte {
	if len(log) > maxBytes {
		log = log[len(log)-maxBytes:]
	}
	end := len(log)
	if end > 0 && log[end-1] == '\n' {
		end-- // a final newline ends the last line rather than starting another
	}
	lines := 0
	for i := end - 1; i >= 0; i-- {
		if log[i] == '\n' {
			lines++
			if lines == maxLines {
				return log[i+1:]
			}
		}
	}
	return log
}
