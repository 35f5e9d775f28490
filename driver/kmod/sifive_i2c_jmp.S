/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The landing pad of the sifive_i2c glue: a minimal setjmp/longjmp over the
 * callee-saved registers and gp, so that a panic in the Rust core returns to
 * the glue's call site (which fails the call with -EIO) instead of hanging.
 * The core is built with panic=abort and holds no resources across a call,
 * so nothing is left to unwind. gp is the shadow call stack pointer under
 * CONFIG_SHADOW_CALL_STACK: the C frames left by the jump pushed onto it.
 * Layout: struct sifive_i2c_jmp in sifive_i2c_jmp.h.
 */

#include <linux/linkage.h>
#include <asm/asm.h>

/*
 * No linker relaxation: clang's integrated assembler would otherwise mark
 * the functions' alignment with R_RISCV_ALIGN, which the module loader
 * refuses.
 */
	.option push
	.option norelax

/* int sifive_i2c_setjmp(struct sifive_i2c_jmp *jmp): 0, or 1 via longjmp. */
SYM_FUNC_START(sifive_i2c_setjmp)
	REG_S	ra, (0 * SZREG)(a0)
	REG_S	sp, (1 * SZREG)(a0)
	REG_S	s0, (2 * SZREG)(a0)
	REG_S	s1, (3 * SZREG)(a0)
	REG_S	s2, (4 * SZREG)(a0)
	REG_S	s3, (5 * SZREG)(a0)
	REG_S	s4, (6 * SZREG)(a0)
	REG_S	s5, (7 * SZREG)(a0)
	REG_S	s6, (8 * SZREG)(a0)
	REG_S	s7, (9 * SZREG)(a0)
	REG_S	s8, (10 * SZREG)(a0)
	REG_S	s9, (11 * SZREG)(a0)
	REG_S	s10, (12 * SZREG)(a0)
	REG_S	s11, (13 * SZREG)(a0)
	REG_S	gp, (14 * SZREG)(a0)
	li	a0, 0
	ret
SYM_FUNC_END(sifive_i2c_setjmp)

/* void sifive_i2c_longjmp(struct sifive_i2c_jmp *jmp): returns 1 from setjmp. */
SYM_FUNC_START(sifive_i2c_longjmp)
	REG_L	ra, (0 * SZREG)(a0)
	REG_L	sp, (1 * SZREG)(a0)
	REG_L	s0, (2 * SZREG)(a0)
	REG_L	s1, (3 * SZREG)(a0)
	REG_L	s2, (4 * SZREG)(a0)
	REG_L	s3, (5 * SZREG)(a0)
	REG_L	s4, (6 * SZREG)(a0)
	REG_L	s5, (7 * SZREG)(a0)
	REG_L	s6, (8 * SZREG)(a0)
	REG_L	s7, (9 * SZREG)(a0)
	REG_L	s8, (10 * SZREG)(a0)
	REG_L	s9, (11 * SZREG)(a0)
	REG_L	s10, (12 * SZREG)(a0)
	REG_L	s11, (13 * SZREG)(a0)
	REG_L	gp, (14 * SZREG)(a0)
	li	a0, 1
	ret
SYM_FUNC_END(sifive_i2c_longjmp)

	.option pop
