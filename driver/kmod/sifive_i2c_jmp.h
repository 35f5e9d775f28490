/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The landing pad of the sifive_i2c glue (sifive_i2c_jmp.S): a panic in the
 * Rust core returns through it to the glue's call site.
 */
#ifndef SIFIVE_I2C_JMP_H
#define SIFIVE_I2C_JMP_H

#include <linux/compiler.h>

/* Callee-saved state: ra, sp, s0-s11, and gp (the shadow call stack). */
struct sifive_i2c_jmp {
	unsigned long reg[15];
};

/* Returns 0, and returns again with 1 when sifive_i2c_longjmp() is called. */
int sifive_i2c_setjmp(struct sifive_i2c_jmp *jmp) __attribute__((__returns_twice__));
/* Returns from the sifive_i2c_setjmp() call that filled jmp. */
void __noreturn sifive_i2c_longjmp(struct sifive_i2c_jmp *jmp);

#endif /* SIFIVE_I2C_JMP_H */
