/* SPDX-License-Identifier: MIT */
/* test_asmscan.c - reading asm statements and classifying their templates. */
#include <check.h>
#include <string.h>

#include "../check_run.h"
#include "asmscan.h"

static as_stmt st;
static as_class cl;

static void parse_ok(const char *text) {
  ck_assert_int_eq(as_parse(text, strlen(text), &st), 0);
  ck_assert_int_eq(st.ok, 1);
}

static unsigned classify(const char *tmpl) {
  as_classify(tmpl, &cl);
  return cl.flags;
}

START_TEST(test_parse_shapes) {
  parse_ok("asm(\"nop\")");
  ck_assert_str_eq(st.tmpl, "nop");
  ck_assert_int_eq(st.literal, 1);
  ck_assert_int_eq(st.noutputs + st.ninputs, 0);

  parse_ok("__asm__ __volatile__(\"movl %%fs:0, %0\\n\\t\" \"nop\" : \"=r\"(out), [x] \"+m\"(s->f[2]) : \"a\"(60), "
           "\"D\"(f(1, 2)) : \"rcx\", \"memory\")");
  ck_assert_str_eq(st.tmpl, "movl %%fs:0, %0\n\tnop");
  ck_assert_int_eq(st.noutputs, 2);
  ck_assert_int_eq(st.ninputs, 2);
  ck_assert_str_eq(st.constraint[0], "=r");
  ck_assert_str_eq(st.constraint[1], "+m");
  ck_assert_str_eq(st.constraint[2], "a");
  ck_assert_int_eq(st.memory, 1);

  parse_ok("asm goto(\"jmp %l0\" : : : \"cc\" : out)");
  ck_assert_int_eq(st.labels, 1);
  ck_assert_int_eq(st.memory, 0);

  /* text read inside a macro definition: continuation lines, a comment */
  parse_ok("__asm__ volatile(\"\" \\\n  : /* none */ : : \"memory\")");
  ck_assert_str_eq(st.tmpl, "");
  ck_assert_int_eq(st.memory, 1);

  /* a template built by a macro is not literal */
  parse_ok("asm volatile(LOCK_PREFIX \"xaddl %0, %1\" : \"+r\"(i), \"+m\"(v))");
  ck_assert_int_eq(st.literal, 0);

  const char *bad[] = {"asm", "nop(\"x\")", "asm(\"x\"", "asm(\"x\" : \"=r\" x)", "asm(\"unterminated)"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) ck_assert_int_eq(as_parse(bad[i], strlen(bad[i]), &st), -1);
}
END_TEST

START_TEST(test_thread_pointer) {
  ck_assert(classify("movq %%fs:0, %0") & AS_TLS);
  ck_assert_str_eq(cl.tls_what, "%fs");
  ck_assert(classify("movl %gs:0x10, %eax") & AS_TLS);
  ck_assert(classify("mov rax, qword ptr fs:[0]") & AS_TLS);
  ck_assert(classify("mrs %0, tpidr_el0") & AS_TLS);
  ck_assert(classify("rdpid %0") & AS_TLS);
  ck_assert(classify("rdtscp") & AS_TLS);
  ck_assert_str_eq(cl.tls_what, "rdtscp");
  ck_assert(classify("wrfsbase %0") & AS_TLS);
  /* registers whose names merely contain the letters */
  ck_assert(!(classify("movl %%ebx, %0") & AS_TLS));
  ck_assert(!(classify("movl %0, offs:") & AS_TLS)); /* a label ending in "fs:" */
}
END_TEST

START_TEST(test_traps_and_syscalls) {
  ck_assert(classify("ud2") & AS_TRAP);
  ck_assert_str_eq(cl.trap_what, "ud2");
  ck_assert(classify("int3") & AS_TRAP);
  ck_assert(classify("int $3") & AS_TRAP);
  ck_assert(classify("1: hlt; jmp 1b") & AS_TRAP);
  ck_assert(classify("brk #0x3e8") & AS_TRAP);

  ck_assert(classify("syscall") & AS_SYSCALL);
  ck_assert_int_eq(cl.sc_kind, AS_SC_X86_64);
  ck_assert_int_eq(cl.sc_nr, -1);
  classify("movl $231, %%eax\n\tsyscall");
  ck_assert_int_eq(cl.sc_nr, 231);
  ck_assert(as_is_exit(cl.sc_kind, cl.sc_nr));
  classify("mov $0x3c, %rax; syscall");
  ck_assert_int_eq(cl.sc_nr, 60);
  classify("mov eax, 60\nsyscall");
  ck_assert_int_eq(cl.sc_nr, 60);
  classify("movl $1, %eax; int $0x80");
  ck_assert_int_eq(cl.sc_kind, AS_SC_I386);
  ck_assert(as_is_exit(cl.sc_kind, cl.sc_nr));
  classify("mov x8, #93\n svc #0");
  ck_assert_int_eq(cl.sc_kind, AS_SC_AARCH64);
  ck_assert(as_is_exit(cl.sc_kind, cl.sc_nr));
  ck_assert(!as_is_exit(AS_SC_X86_64, 39));
  ck_assert(classify("int $0x21") & AS_OTHER);
}
END_TEST

START_TEST(test_calls_and_jumps) {
  ck_assert(classify("call abort") & AS_CALL);
  ck_assert_int_eq(cl.ncalls, 1);
  ck_assert_str_eq(cl.calls[0], "abort");
  classify("call exit@PLT\n\tjmp helper");
  ck_assert_int_eq(cl.ncalls, 2);
  ck_assert_str_eq(cl.calls[0], "exit");
  ck_assert_str_eq(cl.calls[1], "helper");
  ck_assert(classify("bl panic_now") & AS_CALL);
  ck_assert_str_eq(cl.calls[0], "panic_now");
  /* local control flow is not a call */
  ck_assert_uint_eq(classify("1: decl %0; jne 1b; jmp 2f; 2: nop; je .Ldone; jmp %l[out]"), 0);
  ck_assert_uint_eq(classify("cbz %w0, 1f\n b.ne 1f\n1:"), 0);
  ck_assert_uint_eq(classify("jmp done\n\tnop\ndone: nop"), 0); /* a label of the template itself */
  /* through a register, memory or an operand: not known */
  ck_assert(classify("call *%rax") & AS_INDIRECT);
  ck_assert(classify("jmp *(%rdi)") & AS_INDIRECT);
  ck_assert(classify("call %P0") & AS_INDIRECT);
  ck_assert(classify("blr x1") & AS_INDIRECT);
}
END_TEST

START_TEST(test_allow_list) {
  ck_assert_uint_eq(classify(""), AS_EMPTY);
  ck_assert_uint_eq(classify("  \n\t# just a comment\n"), AS_EMPTY);
  ck_assert_uint_eq(classify("mfence"), 0);
  ck_assert_uint_eq(classify("lock; orl $0, (%%rsp)"), 0);
  ck_assert_uint_eq(classify("rep; nop"), 0);
  ck_assert_uint_eq(classify("bswapl %0"), 0);
  ck_assert_uint_eq(classify("lock xaddq %0, %1"), 0);
  ck_assert_uint_eq(classify("cmovne %1, %0\n\tsete %b2"), 0);
  ck_assert_uint_eq(classify("dmb ish"), 0);
  ck_assert_uint_eq(classify("ldaxr %w0, [%1]\n stlxr %w2, %w3, [%1]"), 0);
  ck_assert_uint_eq(classify(".p2align 4\n nop"), 0);
  /* not on the list: unknown */
  ck_assert(classify("cpuid") & AS_OTHER);
  ck_assert_str_eq(cl.other_what, "cpuid");
  ck_assert(classify(".byte 0x0f, 0x0b") & AS_OTHER);
  ck_assert(classify("ret") & AS_OTHER);
  ck_assert(classify("lock; nop") & AS_OTHER);   /* lock on a non-lockable instruction: #UD */
  ck_assert(classify("lock movl %1, %0") & AS_OTHER);
  ck_assert(classify("popf") & AS_OTHER);        /* can set the trap flag */
  ck_assert(classify("mrs %0, midr_el1") & AS_OTHER);
  ck_assert_uint_eq(classify("mrs %0, cntvct_el0"), 0);
  ck_assert_int_eq(as_self_check(), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("asmscan");
  TCase *tc = tcase_create("asm");
  tcase_add_test(tc, test_parse_shapes);
  tcase_add_test(tc, test_thread_pointer);
  tcase_add_test(tc, test_traps_and_syscalls);
  tcase_add_test(tc, test_calls_and_jumps);
  tcase_add_test(tc, test_allow_list);
  suite_add_tcase(s, tc);
  return check_run(s);
}
