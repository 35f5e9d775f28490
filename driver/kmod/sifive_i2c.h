/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The C ABI between the sifive_i2c module's C glue and its Rust core.
 *
 * The glue owns the device: resources, clock, interrupt, locking, sleeping and
 * the i2c_adapter. The Rust core owns the controller's state machine and is the
 * only place that interprets I2C messages. Every call into the core is made by
 * the glue with the instance's spinlock held and interrupts off; no core call
 * sleeps or waits on hardware. bindgen generates the Rust declarations from
 * this header; nothing here is declared twice by hand.
 */
#ifndef SIFIVE_I2C_H
#define SIFIVE_I2C_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
/* Outside the kernel (bindgen, the host test): the compiler's own types. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
/* bindgen defines it as the attribute; the host test does not need it. */
#ifndef __noreturn
#define __noreturn
#endif
#endif

/*
 * Messages per transfer the core accepts (the adapter quirk max_num_msgs):
 * i2c-dev's I2C_RDWR_IOCTL_MAX_MSGS.
 */
#define SIFIVE_I2C_MAX_MSGS 42

/* Message flags: the values of the kernel's I2C_M_* (the glue checks). */
#define SIFIVE_I2C_M_RD 0x0001
#define SIFIVE_I2C_M_TEN 0x0010
#define SIFIVE_I2C_M_DMA_SAFE 0x0200
#define SIFIVE_I2C_M_RECV_LEN 0x0400
#define SIFIVE_I2C_M_NO_RD_ACK 0x0800
#define SIFIVE_I2C_M_IGNORE_NAK 0x1000
#define SIFIVE_I2C_M_REV_DIR_ADDR 0x2000
#define SIFIVE_I2C_M_NOSTART 0x4000
#define SIFIVE_I2C_M_STOP 0x8000

/* A message: the layout of the kernel's struct i2c_msg (the glue checks). */
struct sifive_i2c_msg {
	u16 addr;
	u16 flags;
	u16 len;
	u8 *buf;
};

/*
 * Register access, given to the core as callbacks: the glue picks the
 * accessors for reg-shift, reg-io-width and endianness; reg is the register
 * index (0 PRERlo .. 4 CR/SR).
 */
struct sifive_i2c_io {
	u8 (*read)(void *ctx, u32 reg);
	void (*write)(void *ctx, u32 reg, u8 value);
	void *ctx;
};

/* How to set up one instance. */
struct sifive_i2c_cfg {
	struct sifive_i2c_io io;
	/* Controller input clock and requested SCL, in Hz. */
	u32 clock_hz;
	u32 bus_hz;
	/* Non-zero: the FU540-C000 erratum applies (IF cannot be cleared). */
	u32 fu540_erratum;
	/* Non-zero: run on the interrupt (never with the erratum). */
	u32 use_irq;
	/*
	 * Test builds only (the core built with its panic-test feature; other
	 * builds ignore it): bit N set makes entry point N of enum
	 * sifive_i2c_entry panic on each call.
	 */
	u32 panic_mask;
};

/* The core's entry points, numbered for sifive_i2c_cfg.panic_mask. */
enum sifive_i2c_entry {
	SIFIVE_I2C_ENTRY_INIT,
	SIFIVE_I2C_ENTRY_RESUME,
	SIFIVE_I2C_ENTRY_DISABLE,
	SIFIVE_I2C_ENTRY_START,
	SIFIVE_I2C_ENTRY_RECOVER,
	SIFIVE_I2C_ENTRY_ADVANCE,
	SIFIVE_I2C_ENTRY_IRQ,
	SIFIVE_I2C_ENTRY_TIMEOUT,
	SIFIVE_I2C_ENTRY_BYTE_US,
	SIFIVE_I2C_ENTRY_CMD_NS,
};

/*
 * A transfer: the messages of one xfer call. The core writes wire_us when it
 * accepts the transfer: the messages' wire time at the programmed bus speed
 * in microseconds (for an I2C_M_RECV_LEN read, its largest length), which
 * the glue adds to the adapter's timeout. For an I2C_M_RECV_LEN message the
 * core adds the count byte it read to the message's len, as the kernel asks.
 */
struct sifive_i2c_xfer {
	struct sifive_i2c_msg *msgs;
	u32 num;
	u32 wire_us;
};

/*
 * The core's state, kept in the glue's private data so that nothing is
 * allocated. Opaque to C; the core checks at build time that it fits.
 */
struct sifive_i2c_rs {
	u64 state[40];
	u64 ops[4 * SIFIVE_I2C_MAX_MSGS];
};

/* Results of the core calls besides 0 and -errno. */
/* The transfer goes on; its command will raise the interrupt (if enabled). */
#define SIFIVE_I2C_PENDING 1
/* The interrupt was not this controller's. */
#define SIFIVE_I2C_IRQ_NONE 2
/* Handled: the task goes on by advancing. */
#define SIFIVE_I2C_IRQ_WAKE 3
/* The transfer goes on, waiting for what raises no interrupt: poll. */
#define SIFIVE_I2C_POLL 4

/*
 * The core's entry points. All have this type so that the glue's panic test
 * build can call them through one landing pad; the meaning of arg is given
 * with each. Each returns 0, a negative errno or a SIFIVE_I2C_* value.
 */
typedef int (*sifive_i2c_rs_fn)(struct sifive_i2c_rs *rs, void *arg);

/* arg: const struct sifive_i2c_cfg *. Programs the prescaler, enables the core. */
int sifive_i2c_rs_init(struct sifive_i2c_rs *rs, void *arg);
/* arg: NULL. Programs the prescaler again and enables the core (resume). */
int sifive_i2c_rs_resume(struct sifive_i2c_rs *rs, void *arg);
/* arg: NULL. Disables the core (suspend, remove). */
int sifive_i2c_rs_disable(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: struct sifive_i2c_xfer *, valid until the transfer has ended.
 * Validates the messages (nothing is written on an error) and issues the first
 * command; returns SIFIVE_I2C_PENDING or SIFIVE_I2C_POLL, or an error.
 */
int sifive_i2c_rs_start(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: NULL. Starts bus recovery (9 clocks with SDA released, then STOP, a
 * bounded number of times) as a transfer: returns 0 at once if the bus is
 * idle, else SIFIVE_I2C_PENDING or SIFIVE_I2C_POLL; advance then ends it
 * with 0 or -EBUSY (still held).
 */
int sifive_i2c_rs_recover(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: NULL. Reads SR once and drives the transfer; returns SIFIVE_I2C_PENDING
 * or SIFIVE_I2C_POLL while it goes on, then its result (0 or -errno). Each
 * call that finds the command still running spends one poll of the wait's
 * budget (about 25 ms of the glue's pauses; then STOP and -ETIMEDOUT).
 */
int sifive_i2c_rs_advance(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: NULL. The interrupt handler: reads SR once; returns SIFIVE_I2C_IRQ_NONE
 * if IF is clear, else drives the transfer with that SR value and returns
 * SIFIVE_I2C_PENDING while the next command will interrupt again,
 * SIFIVE_I2C_IRQ_WAKE once the task must take over (a wait that raises no
 * interrupt, such as the bus going idle after STOP), or the transfer's
 * result (0 or -errno) if it ended here. advance, called after that anyway,
 * returns the same result.
 */
int sifive_i2c_rs_irq(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: NULL. Ends the transfer in flight with -ETIMEDOUT: issues STOP;
 * returns SIFIVE_I2C_POLL until advance reports the end. With a non-NULL arg,
 * gives the transfer up (the STOP did not end it in time): it ends at once,
 * with its error.
 */
int sifive_i2c_rs_timeout(struct sifive_i2c_rs *rs, void *arg);
/* arg: u32 *, set to the expected wire time of one command in microseconds. */
int sifive_i2c_rs_byte_us(struct sifive_i2c_rs *rs, void *arg);
/*
 * arg: u32 *, set to the wire time in nanoseconds of the command the calls
 * since the last one issued, or to 0 if they issued none: the glue's
 * polling wait sleeps until shortly before it ends.
 */
int sifive_i2c_rs_cmd_ns(struct sifive_i2c_rs *rs, void *arg);

/*
 * Provided by the glue's panic test build: a panic in the core ends here. It
 * warns and returns to the glue's landing pad, which fails the call with
 * -EIO; never returns to the core. A shipped build's core has no panic path
 * and never calls it (rust/build-core.sh checks).
 */
void __noreturn sifive_i2c_glue_panic(const char *file, u32 file_len, u32 line);

#endif /* SIFIVE_I2C_H */
