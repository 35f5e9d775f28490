// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The C side of the host test of the module's C ABI: drives the Rust core
 * through sifive_i2c.h exactly as the glue does (init, start, advance, irq,
 * timeout), against register callbacks that the Rust test connects to the
 * host model. Each function returns 0 or the negative line number of the
 * first failed check, so the Rust test can say which one failed.
 */
#include <errno.h>
#include <string.h>

#include "sifive_i2c.h"

/* The value a failed check returns. */
#define FAIL (-__LINE__)

/* Polls to wait before the test gives up, as the glue's time budget. */
#define POLL_BUDGET 10000

static int init(struct sifive_i2c_rs *rs, const struct sifive_i2c_io *io,
		int use_irq)
{
	struct sifive_i2c_cfg cfg = {
		.io = *io,
		.clock_hz = 500000000,
		.bus_hz = 400000,
		.fu540_erratum = 0,
		.use_irq = use_irq,
	};

	memset(rs, 0xa5, sizeof(*rs));
	return sifive_i2c_rs_init(rs, &cfg);
}

static int going_on(int ret)
{
	return ret == SIFIVE_I2C_PENDING || ret == SIFIVE_I2C_POLL;
}

/* One master_xfer as the glue's polling path runs it. */
static int xfer(struct sifive_i2c_rs *rs, struct sifive_i2c_msg *msgs,
		u32 num)
{
	struct sifive_i2c_xfer x = { .msgs = msgs, .num = num };
	int polls = 0;
	int ret;

	ret = sifive_i2c_rs_start(rs, &x);
	while (going_on(ret)) {
		if (++polls == POLL_BUDGET)
			ret = sifive_i2c_rs_timeout(rs, NULL);
		else
			ret = sifive_i2c_rs_advance(rs, NULL);
		if (polls > 2 * POLL_BUDGET)
			return -1000;
	}
	return ret;
}

int c_abi_eeprom(const struct sifive_i2c_io *io)
{
	struct sifive_i2c_rs rs;
	u8 wbuf[1 + 8], reg = 0x20, rbuf[8];
	struct sifive_i2c_msg wr[] = {
		{ .addr = 0x50, .flags = 0, .len = sizeof(wbuf), .buf = wbuf },
	};
	struct sifive_i2c_msg rd[] = {
		{ .addr = 0x50, .flags = 0, .len = 1, .buf = &reg },
		{ .addr = 0x50, .flags = SIFIVE_I2C_M_RD, .len = sizeof(rbuf),
		  .buf = rbuf },
	};
	u32 us = 0;
	int i;

	if (init(&rs, io, 0) != 0)
		return FAIL;
	if (sifive_i2c_rs_byte_us(&rs, &us) != 0)
		return FAIL;
	/* Nine SCL periods at 400 kHz or a little slower: 22.5 us and up. */
	if (us < 23 || us > 26)
		return FAIL;
	wbuf[0] = reg;
	for (i = 0; i < 8; i++)
		wbuf[1 + i] = 0x30 + i;
	if (xfer(&rs, wr, 1) != 0)
		return FAIL;
	memset(rbuf, 0, sizeof(rbuf));
	if (xfer(&rs, rd, 2) != 0)
		return FAIL;
	if (memcmp(rbuf, wbuf + 1, sizeof(rbuf)) != 0)
		return FAIL;
	return 0;
}

/*
 * What the core refuses, each before any register write, with its errno; and
 * two transfers that reach the bus (an absent target, a probe).
 */
int c_abi_errors(const struct sifive_i2c_io *io)
{
	struct sifive_i2c_rs rs;
	u8 b = 0, blk[40];
	struct sifive_i2c_msg absent = { .addr = 0x21, .len = 1, .buf = &b };
	struct sifive_i2c_msg probe = { .addr = 0x50, .len = 0, .buf = NULL };
	struct sifive_i2c_msg m[SIFIVE_I2C_MAX_MSGS + 1];
	int i;

	if (init(&rs, io, 0) != 0)
		return FAIL;
	if (xfer(&rs, &absent, 1) != -ENXIO)
		return FAIL;
	/* SMBus quick write: START, address, STOP. */
	if (xfer(&rs, &probe, 1) != 0)
		return FAIL;

	/* Addresses out of their range. */
	m[0] = (struct sifive_i2c_msg){ .addr = 0x80, .len = 1, .buf = &b };
	if (xfer(&rs, m, 1) != -EINVAL)
		return FAIL;
	m[0].addr = 0x400;
	m[0].flags = SIFIVE_I2C_M_TEN;
	if (xfer(&rs, m, 1) != -EINVAL)
		return FAIL;
	/* No messages; a NULL buffer with a length. */
	if (xfer(&rs, &absent, 0) != -EINVAL)
		return FAIL;
	m[0] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = NULL };
	if (xfer(&rs, m, 1) != -EINVAL)
		return FAIL;
	/* This controller always ACKs the bytes it reads but the last. */
	m[0] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = &b,
		.flags = SIFIVE_I2C_M_RD | SIFIVE_I2C_M_NO_RD_ACK };
	if (xfer(&rs, m, 1) != -EOPNOTSUPP)
		return FAIL;
	/* A flag the core does not know. */
	m[0].flags = 0x0002;
	if (xfer(&rs, m, 1) != -EOPNOTSUPP)
		return FAIL;
	/* NOSTART after a STOP; NOSTART turning the bus around. */
	m[0] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = &b,
		.flags = SIFIVE_I2C_M_STOP };
	m[1] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = &b,
		.flags = SIFIVE_I2C_M_NOSTART };
	if (xfer(&rs, m, 2) != -EINVAL)
		return FAIL;
	m[0].flags = 0;
	m[1].flags = SIFIVE_I2C_M_RD | SIFIVE_I2C_M_NOSTART;
	if (xfer(&rs, m, 2) != -EOPNOTSUPP)
		return FAIL;
	/* A reversed R/W bit has no meaning for a 10-bit address. */
	m[0] = (struct sifive_i2c_msg){ .addr = 0x2a5, .len = 1, .buf = &b,
		.flags = SIFIVE_I2C_M_TEN | SIFIVE_I2C_M_REV_DIR_ADDR };
	if (xfer(&rs, m, 1) != -EOPNOTSUPP)
		return FAIL;
	/* Block reads: only reads, and with room for the count. */
	m[0] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = blk,
		.flags = SIFIVE_I2C_M_RECV_LEN };
	if (xfer(&rs, m, 1) != -EINVAL)
		return FAIL;
	m[0].flags = SIFIVE_I2C_M_RD | SIFIVE_I2C_M_RECV_LEN;
	m[0].len = 0;
	if (xfer(&rs, m, 1) != -EINVAL)
		return FAIL;
	/* One message more than the adapter's limit. */
	for (i = 0; i <= SIFIVE_I2C_MAX_MSGS; i++)
		m[i] = (struct sifive_i2c_msg){ .addr = 0x50, .len = 1, .buf = &b };
	if (xfer(&rs, m, SIFIVE_I2C_MAX_MSGS + 1) != -EOPNOTSUPP)
		return FAIL;
	return 0;
}

/*
 * One transfer of the caller's messages, polled as the glue's polling path
 * runs it: its result, and the wire time the core gave in *wire_us.
 */
int c_abi_xfer(const struct sifive_i2c_io *io, struct sifive_i2c_msg *msgs,
	       u32 num, u32 *wire_us)
{
	struct sifive_i2c_xfer x = { .msgs = msgs, .num = num, .wire_us = ~0u };
	struct sifive_i2c_rs rs;
	int polls = 0;
	int ret;

	if (init(&rs, io, 0) != 0)
		return FAIL;
	ret = sifive_i2c_rs_start(&rs, &x);
	while (going_on(ret) && ++polls < 2 * POLL_BUDGET)
		ret = sifive_i2c_rs_advance(&rs, NULL);
	*wire_us = x.wire_us;
	return ret;
}

/*
 * The same on the interrupt: the handler's entry runs whenever the line is
 * high, the task advances when it hands over or asks to poll. The line must
 * be low at the end.
 */
int c_abi_xfer_irq(const struct sifive_i2c_io *io, int (*line)(void *ctx),
		   struct sifive_i2c_msg *msgs, u32 num)
{
	struct sifive_i2c_xfer x = { .msgs = msgs, .num = num };
	struct sifive_i2c_rs rs;
	int n = 0;
	int ret, r;

	if (init(&rs, io, 1) != 0)
		return FAIL;
	ret = sifive_i2c_rs_start(&rs, &x);
	while (going_on(ret)) {
		if (++n > POLL_BUDGET)
			return -1000;
		if (line(io->ctx)) {
			r = sifive_i2c_rs_irq(&rs, NULL);
			if (r == SIFIVE_I2C_IRQ_NONE)
				return FAIL;
			if (r == SIFIVE_I2C_PENDING) {
				ret = r;
				continue;
			}
			if (r <= 0) {
				/* Ended in the handler; advance says the same. */
				if (sifive_i2c_rs_advance(&rs, NULL) != r)
					return FAIL;
				ret = r;
				break;
			}
			if (r != SIFIVE_I2C_IRQ_WAKE)
				return FAIL;
			ret = sifive_i2c_rs_advance(&rs, NULL);
		} else if (ret == SIFIVE_I2C_POLL) {
			ret = sifive_i2c_rs_advance(&rs, NULL);
		}
	}
	if (line(io->ctx))
		return FAIL;
	return ret;
}

/* Returns the errno of one write of a byte to 0x50 (faults set by the caller). */
int c_abi_write_errno(const struct sifive_i2c_io *io)
{
	struct sifive_i2c_rs rs;
	u8 buf[2] = { 0x40, 0x5a };
	struct sifive_i2c_msg m = { .addr = 0x50, .len = 2, .buf = buf };

	if (init(&rs, io, 0) != 0)
		return FAIL;
	return xfer(&rs, &m, 1);
}

/* Bus recovery as the glue's hook runs it: its result (0, or -EBUSY). */
int c_abi_recover(const struct sifive_i2c_io *io)
{
	struct sifive_i2c_rs rs;
	int polls = 0;
	int ret;

	if (init(&rs, io, 0) != 0)
		return FAIL;
	ret = sifive_i2c_rs_recover(&rs, NULL);
	while (going_on(ret) && ++polls < 2 * POLL_BUDGET)
		ret = sifive_i2c_rs_advance(&rs, NULL);
	return ret;
}

/*
 * The interrupt path: start, then feed the core's irq entry as the handler
 * does whenever the line is high, and finish with advance as the task does.
 */
int c_abi_irq(const struct sifive_i2c_io *io, int (*line)(void *ctx))
{
	struct sifive_i2c_rs rs;
	u8 reg = 0x60, wbuf[3] = { 0x60, 0xde, 0xad }, rbuf[2] = { 0, 0 };
	struct sifive_i2c_msg wr = { .addr = 0x50, .len = 3, .buf = wbuf };
	struct sifive_i2c_msg rd[] = {
		{ .addr = 0x50, .len = 1, .buf = &reg },
		{ .addr = 0x50, .flags = SIFIVE_I2C_M_RD, .len = 2, .buf = rbuf },
	};
	struct sifive_i2c_xfer x1 = { .msgs = &wr, .num = 1 };
	struct sifive_i2c_xfer x2 = { .msgs = rd, .num = 2 };
	struct sifive_i2c_xfer *xs[] = { &x1, &x2 };
	int i, n, ret;

	if (init(&rs, io, 1) != 0)
		return FAIL;
	for (i = 0; i < 2; i++) {
		if (sifive_i2c_rs_start(&rs, xs[i]) != SIFIVE_I2C_PENDING)
			return FAIL;
		ret = SIFIVE_I2C_PENDING;
		for (n = 0; ret == SIFIVE_I2C_PENDING && n < POLL_BUDGET; n++) {
			if (line(io->ctx))
				ret = sifive_i2c_rs_irq(&rs, NULL);
			else if (sifive_i2c_rs_irq(&rs, NULL) != SIFIVE_I2C_IRQ_NONE)
				return FAIL;
		}
		/*
		 * Handed over, or ended in the handler (0): advance then ends
		 * it, or reports the same result.
		 */
		if (ret != SIFIVE_I2C_IRQ_WAKE && ret != 0)
			return FAIL;
		for (n = 0; n < POLL_BUDGET; n++) {
			ret = sifive_i2c_rs_advance(&rs, NULL);
			if (!going_on(ret))
				break;
		}
		if (ret != 0)
			return FAIL;
		/* Nothing left pending: the line is low. */
		if (line(io->ctx))
			return FAIL;
	}
	if (rbuf[0] != 0xde || rbuf[1] != 0xad)
		return FAIL;
	return 0;
}
