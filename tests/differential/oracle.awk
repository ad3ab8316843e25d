# SPDX-License-Identifier: MIT
# oracle.awk - the effects of every defined function, computed from the
# LLVM IR clang emits at -O0 (independently of fnprop's front end):
#   tls   a use of a `thread_local` global, or a call to a thread-identity /
#         errno function, in the function or in anything it calls;
#   panic a call to an aborting function (or llvm.trap) likewise.
# llvm.* intrinsics are not calls (clang's memcpy, lifetime markers, the
# thread-local address intrinsic, whose operand is the variable).
# Output: `NAME TLS PANIC` (0/1) per defined function, sorted.
#   awk -f oracle.awk prog.ll
BEGIN {
	split("abort exit _exit _Exit quick_exit __assert_fail __assert_perror_fail __assert " \
	      "longjmp siglongjmp _longjmp __longjmp_chk pthread_exit thrd_exit err errx verr verrx " \
	      "__stack_chk_fail llvm.trap llvm.debugtrap", p, " ")
	for (i in p) panicfn[p[i]] = 1
	split("__errno_location pthread_getspecific pthread_setspecific tss_get tss_set pthread_self " \
	      "gettid thrd_current sched_getcpu __tls_get_addr", t, " ")
	for (i in t) tlsfn[t[i]] = 1
}
# @name = ... thread_local ...
/^@/ && / thread_local / {
	n = $1
	sub(/^@/, "", n)
	tl[n] = 1
	next
}
/^define / {
	n = $0
	sub(/\(.*/, "", n)
	sub(/.*@/, "", n)
	cur = n
	defined[cur] = 1
	next
}
cur != "" && /^}/ { cur = ""; next }
cur != "" {
	line = $0
	callee = ""
	if (match(line, /call [^@]*@[-A-Za-z0-9_.$]+\(/)) {
		callee = substr(line, RSTART, RLENGTH - 1)
		sub(/.*@/, "", callee)
	}
	while (match(line, /@[-A-Za-z0-9_.$]+/)) {
		n = substr(line, RSTART + 1, RLENGTH - 1)
		line = substr(line, RSTART + RLENGTH)
		if (n in tl) tls[cur] = 1
	}
	if (callee == "") next
	if (callee in panicfn) panic[cur] = 1
	if (callee in tlsfn) tls[cur] = 1
	if (callee ~ /^llvm\./) next
	ne++
	esrc[ne] = cur
	edst[ne] = callee
}
END {
	do {
		changed = 0
		for (e = 1; e <= ne; e++) {
			s = esrc[e]
			d = edst[e]
			if ((d in tls) && !(s in tls)) { tls[s] = 1; changed = 1 }
			if ((d in panic) && !(s in panic)) { panic[s] = 1; changed = 1 }
		}
	} while (changed)
	for (f in defined) printf "%s %d %d\n", f, (f in tls), (f in panic) | "sort"
}
