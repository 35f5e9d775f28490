// SPDX-License-Identifier: GPL-2.0
/*
 * SiFive I2C controller (the OpenCores I2C master of the FU540, FU740 and
 * FE310): the C glue of the sifive_i2c module.
 *
 * The glue is a small platform I2C driver in the shape of i2c-ocores: it
 * takes the resources, the clock and the interrupt, registers the adapter,
 * sleeps and keeps time. The controller itself is run by the Rust core
 * (rust/, the sifive-i2c driver crate) through the C ABI of sifive_i2c.h.
 * Every call into the core is made with the instance's raw spinlock held
 * and interrupts off (on PREEMPT_RT too). The core of a shipped build has no
 * panic path (rust/build-core.sh fails the build if one is linked); the test
 * build (SIFIVE_I2C_PANIC_TEST) calls it through a landing pad, which turns
 * a panic of the core into a warning and -EIO.
 */

#include <linux/build_bug.h>
#include <linux/clk.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/stddef.h>

#include "sifive_i2c.h"
#ifdef SIFIVE_I2C_PANIC_TEST
#include "sifive_i2c_jmp.h"
#endif

/* The glue hands struct i2c_msg to the core as struct sifive_i2c_msg. */
static_assert(sizeof(struct sifive_i2c_msg) == sizeof(struct i2c_msg));
static_assert(offsetof(struct sifive_i2c_msg, addr) == offsetof(struct i2c_msg, addr));
static_assert(offsetof(struct sifive_i2c_msg, flags) == offsetof(struct i2c_msg, flags));
static_assert(offsetof(struct sifive_i2c_msg, len) == offsetof(struct i2c_msg, len));
static_assert(offsetof(struct sifive_i2c_msg, buf) == offsetof(struct i2c_msg, buf));
static_assert(SIFIVE_I2C_M_RD == I2C_M_RD);
static_assert(SIFIVE_I2C_M_TEN == I2C_M_TEN);
static_assert(SIFIVE_I2C_M_DMA_SAFE == I2C_M_DMA_SAFE);
static_assert(SIFIVE_I2C_M_RECV_LEN == I2C_M_RECV_LEN);
static_assert(SIFIVE_I2C_M_NO_RD_ACK == I2C_M_NO_RD_ACK);
static_assert(SIFIVE_I2C_M_IGNORE_NAK == I2C_M_IGNORE_NAK);
static_assert(SIFIVE_I2C_M_REV_DIR_ADDR == I2C_M_REV_DIR_ADDR);
static_assert(SIFIVE_I2C_M_NOSTART == I2C_M_NOSTART);
static_assert(SIFIVE_I2C_M_STOP == I2C_M_STOP);
/* The core's message limit is i2c-dev's. */
static_assert(SIFIVE_I2C_MAX_MSGS == I2C_RDWR_IOCTL_MAX_MSGS);

/* The control register's index (EN, IEN), for the glue's own shutdown. */
#define SIFIVE_I2C_CTR 2

#ifdef SIFIVE_I2C_PANIC_TEST
/*
 * The landing pad's test (make SIFIVE_I2C_PANIC_TEST=y, which builds the
 * core with its panic-test feature): each probe hands the core this mask.
 */
static unsigned int panic_mask;
module_param(panic_mask, uint, 0644);
MODULE_PARM_DESC(panic_mask,
		 "Test build: bit N makes the core's entry point N (enum sifive_i2c_entry) panic");

/*
 * The landing pad of the core call running on this CPU, NULL between calls.
 * A core call holds its instance's raw spinlock with interrupts off, even on
 * PREEMPT_RT, so no other core call can start on this CPU before it ends.
 */
static DEFINE_PER_CPU(struct sifive_i2c_jmp *, sifive_i2c_pad);
#endif

/* See sifive_i2c_pause(). */
static unsigned int sifive_i2c_poll_delay_pct = 5;

struct sifive_i2c {
	struct device *dev;
	void __iomem *base;
	u32 reg_shift;
	int irq;
	struct clk *clk;
	/* The clock is off: suspended, or a resume failed (PM callbacks only). */
	bool clk_off;
	/*
	 * Device interrupts are suspended (suspend_late to resume_early): a
	 * transfer then polls. Changed and read under the adapter's bus lock.
	 */
	bool irq_off;
	/*
	 * Serialises core calls between the transfer and the interrupt
	 * handler; raw, so that it keeps interrupts and preemption off on
	 * PREEMPT_RT as well (each call is short and bounded).
	 */
	raw_spinlock_t lock;
	struct completion done;
#ifdef SIFIVE_I2C_PANIC_TEST
	/* The landing pad of the core call in flight (under the lock). */
	struct sifive_i2c_jmp pad;
	/* The core panicked: its state is lost, refuse further calls. */
	bool poisoned;
#endif
	/*
	 * The transfer in flight waits on the interrupt while the core awaits
	 * one (not atomic, interrupts on). Set before its first step.
	 */
	bool irq_wait;
	/*
	 * What the handler's last core call returned, under the lock: the
	 * transfer's result once it ended there (0 or -errno). Each step sets
	 * it to SIFIVE_I2C_PENDING.
	 */
	int irq_ret;
	/* When the command in flight is due to end (polling waits). */
	ktime_t due;
	/* The wire time of the command the last step issued, 0 if none. */
	u32 cmd_ns;
	/*
	 * When (jiffies) a command last completed, seen by the task or the
	 * handler as the next one is issued or the transfer ends: what the
	 * transfer's timeout looks at. Changed under the lock.
	 */
	unsigned long progress_j;
	/* Status reads since the command in flight was due (polling waits). */
	u32 repolls;
	/* The shortest sleep on this CPU, ns (polling waits). */
	u32 min_sleep_ns;
	/* How late a task runs after its timer fired, ns (polling waits). */
	u32 late_ns;
	struct i2c_adapter adap;
	struct i2c_bus_recovery_info recovery;
	struct sifive_i2c_cfg cfg;
	struct sifive_i2c_rs rs;
};

static inline void __iomem *sifive_i2c_reg(struct sifive_i2c *i2c, u32 reg)
{
	return i2c->base + (reg << i2c->reg_shift);
}

static u8 sifive_i2c_read8(void *ctx, u32 reg)
{
	return ioread8(sifive_i2c_reg(ctx, reg));
}

static void sifive_i2c_write8(void *ctx, u32 reg, u8 value)
{
	iowrite8(value, sifive_i2c_reg(ctx, reg));
}

static u8 sifive_i2c_read16(void *ctx, u32 reg)
{
	return ioread16(sifive_i2c_reg(ctx, reg));
}

static void sifive_i2c_write16(void *ctx, u32 reg, u8 value)
{
	iowrite16(value, sifive_i2c_reg(ctx, reg));
}

static u8 sifive_i2c_read32(void *ctx, u32 reg)
{
	return ioread32(sifive_i2c_reg(ctx, reg));
}

static void sifive_i2c_write32(void *ctx, u32 reg, u8 value)
{
	iowrite32(value, sifive_i2c_reg(ctx, reg));
}

static u8 sifive_i2c_read16be(void *ctx, u32 reg)
{
	return ioread16be(sifive_i2c_reg(ctx, reg));
}

static void sifive_i2c_write16be(void *ctx, u32 reg, u8 value)
{
	iowrite16be(value, sifive_i2c_reg(ctx, reg));
}

static u8 sifive_i2c_read32be(void *ctx, u32 reg)
{
	return ioread32be(sifive_i2c_reg(ctx, reg));
}

static void sifive_i2c_write32be(void *ctx, u32 reg, u8 value)
{
	iowrite32be(value, sifive_i2c_reg(ctx, reg));
}

#ifdef SIFIVE_I2C_PANIC_TEST
/* Called by the core's panic handler, inside a core call: never returns. */
void sifive_i2c_glue_panic(const char *file, u32 file_len, u32 line)
{
	struct sifive_i2c_jmp *pad = this_cpu_read(sifive_i2c_pad);

	WARN(1, "sifive_i2c: panic in the Rust core at %.*s:%u\n",
	     (int)file_len, file, line);
	if (pad)
		sifive_i2c_longjmp(pad);
	/* Core code runs only inside sifive_i2c_call(): cannot happen. */
	panic("sifive_i2c: panic in the Rust core outside a call\n");
}

/*
 * Calls the core with the lock held; a panic in it ends here with -EIO. The
 * per-CPU slot points at the instance's pad only for the call's duration.
 */
static int sifive_i2c_call(struct sifive_i2c *i2c, sifive_i2c_rs_fn fn, void *arg)
{
	int ret;

	lockdep_assert_held(&i2c->lock);
	lockdep_assert_irqs_disabled();
	if (i2c->poisoned)
		return -EIO;
	WARN_ON_ONCE(this_cpu_read(sifive_i2c_pad));
	this_cpu_write(sifive_i2c_pad, &i2c->pad);
	if (sifive_i2c_setjmp(&i2c->pad) == 0) {
		ret = fn(&i2c->rs, arg);
	} else {
		i2c->poisoned = true;
		ret = -EIO;
	}
	this_cpu_write(sifive_i2c_pad, NULL);
	return ret;
}

static bool sifive_i2c_poisoned(struct sifive_i2c *i2c)
{
	return i2c->poisoned;
}
#else
/*
 * A shipped build's core cannot panic: rust/build-core.sh fails the build if
 * its object links a panic path (any call out of it but memcpy() and the
 * like), so it is called directly.
 */
static int sifive_i2c_call(struct sifive_i2c *i2c, sifive_i2c_rs_fn fn, void *arg)
{
	lockdep_assert_held(&i2c->lock);
	lockdep_assert_irqs_disabled();
	return fn(&i2c->rs, arg);
}

static bool sifive_i2c_poisoned(struct sifive_i2c *i2c)
{
	return false;
}
#endif

static int sifive_i2c_locked(struct sifive_i2c *i2c, sifive_i2c_rs_fn fn, void *arg)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&i2c->lock, flags);
	ret = sifive_i2c_call(i2c, fn, arg);
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
	return ret;
}

static irqreturn_t sifive_i2c_isr(int irq, void *dev_id)
{
	struct sifive_i2c *i2c = dev_id;
	unsigned long flags;
	bool poisoned;
	int ret;

	/* irqsave: a threaded handler (PREEMPT_RT, nested) has interrupts on. */
	raw_spin_lock_irqsave(&i2c->lock, flags);
	ret = sifive_i2c_call(i2c, sifive_i2c_rs_irq, NULL);
	if (ret != SIFIVE_I2C_IRQ_NONE) {
		i2c->progress_j = jiffies;
		i2c->irq_ret = ret;
		/* Under the lock: see sifive_i2c_step(). */
		if (ret != SIFIVE_I2C_PENDING)
			complete(&i2c->done);
	}
	poisoned = sifive_i2c_poisoned(i2c);
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
	if (ret == SIFIVE_I2C_IRQ_NONE)
		return IRQ_NONE;
	if (poisoned)
		/* Nothing can acknowledge the line any more. */
		disable_irq_nosync(irq);
	return IRQ_HANDLED;
}

/*
 * Polling waits sleep where sleeping pays, and what a sleep costs is
 * measured on this CPU, not assumed: the shortest sleep there is (a timer
 * cannot fire sooner than the clock event device's minimum delta: 100
 * ticks of the RISC-V timer, 100 us on a 1 MHz timebase) and how late a
 * task runs again after its timer fired. Measured at probe, then a running
 * mean (weight 1/8) of what each polling sleep shows.
 */
#define SIFIVE_I2C_SLEEP_MAX_NS (10 * NSEC_PER_MSEC)
/* Status reads at once when a command is found running when due. */
#define SIFIVE_I2C_REPOLLS 8

module_param_named(poll_delay_pct, sifive_i2c_poll_delay_pct, uint, 0644);
MODULE_PARM_DESC(poll_delay_pct,
		 "Polling: % of wire time a transfer may lose to sleeping (default 5)");

static s64 sifive_i2c_mean(u32 mean, s64 sample)
{
	sample = clamp_t(s64, sample, 0, SIFIVE_I2C_SLEEP_MAX_NS);
	return (7 * (s64)mean + sample) / 8;
}

/* Sleeps until @until (CLOCK_MONOTONIC) without slack; returns when it ran. */
static ktime_t sifive_i2c_sleep_until(ktime_t until)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_hrtimeout_range(&until, 0, HRTIMER_MODE_ABS);
	return ktime_get();
}

/*
 * At probe: four sleeps 1 ns ahead (what the shortest sleep takes), then
 * four sleeps of twice that (how late a task runs after its timer).
 */
static void sifive_i2c_measure_sleep(struct sifive_i2c *i2c)
{
	ktime_t start, until;
	s64 sum = 0;
	int i;

	for (i = 0; i < 4; i++) {
		start = ktime_get();
		sum += ktime_to_ns(ktime_sub(sifive_i2c_sleep_until(ktime_add_ns(start, 1)),
					     start));
	}
	i2c->min_sleep_ns = clamp_t(s64, sum / 4, 0, SIFIVE_I2C_SLEEP_MAX_NS);
	sum = 0;
	for (i = 0; i < 4; i++) {
		until = ktime_add_ns(ktime_get(), 2 * i2c->min_sleep_ns);
		sum += ktime_to_ns(ktime_sub(sifive_i2c_sleep_until(until), until));
	}
	i2c->late_ns = clamp_t(s64, sum / 4, 0, SIFIVE_I2C_SLEEP_MAX_NS);
}

/*
 * Waits until the command in flight is due to end on the wire (the core
 * gives its wire time when it issues it), for one status read then.
 *
 * If the time left is at least the shortest sleep, sleeps on an hrtimer
 * until the wake-up delay before the end. If it is shorter, a sleep would
 * end after the command, leaving the bus idle meanwhile: it sleeps anyway
 * while the transfer's delay budget (@budget_ns: poll_delay_pct of the
 * wire time of the commands so far) covers that, else it does not sleep.
 * What is left it waits on the clock, with a preemption point at each
 * turn, so that a real-time task that wakes meanwhile runs at once, on a
 * PREEMPT_NONE kernel too. A command found running when due is read again
 * at once a few times, then once every byte time (9 * @bit_ns). Atomic
 * transfers only spin.
 */
static void sifive_i2c_pause(struct sifive_i2c *i2c, u32 bit_ns, s64 *budget_ns,
			     bool atomic)
{
	ktime_t now = ktime_get();
	s64 left_ns = ktime_to_ns(ktime_sub(i2c->due, now));
	ktime_t until, woke;
	s64 over_ns;

	if (left_ns <= 0) {
		/*
		 * Not done when due: the command's end is a little late (the
		 * status read at once sees it), or a target stretches SCL;
		 * a few reads at once, then one every byte time.
		 */
		if (i2c->repolls < SIFIVE_I2C_REPOLLS) {
			i2c->repolls++;
			cond_resched();
			return;
		}
		left_ns = 9 * bit_ns;
		i2c->due = ktime_add_ns(now, left_ns);
	}
	if (atomic) {
		udelay(DIV_ROUND_UP(left_ns, NSEC_PER_USEC));
		return;
	}
	over_ns = i2c->min_sleep_ns - left_ns;
	if (over_ns <= 0 || over_ns <= *budget_ns) {
		until = ktime_sub_ns(i2c->due, i2c->late_ns);
		woke = sifive_i2c_sleep_until(until);
		if (over_ns > 0) {
			i2c->min_sleep_ns = sifive_i2c_mean(i2c->min_sleep_ns,
							    ktime_to_ns(ktime_sub(woke, now)));
			*budget_ns -= max_t(s64, ktime_to_ns(ktime_sub(woke, i2c->due)), 0);
		} else {
			i2c->late_ns = sifive_i2c_mean(i2c->late_ns,
						       ktime_to_ns(ktime_sub(woke, until)));
		}
	}
	while (ktime_before(ktime_get(), i2c->due)) {
		cond_resched();
		cpu_relax();
	}
}

static bool sifive_i2c_going_on(int ret)
{
	return ret == SIFIVE_I2C_PENDING || ret == SIFIVE_I2C_POLL;
}

/*
 * A core call that may issue a command. The completion is re-armed under
 * the lock before the call, and the handler completes it under the lock
 * too: a complete() seen after this step comes from an interrupt handled
 * after it, never from one that ran before (which would wake the waiter of
 * this command early).
 */
static int sifive_i2c_step(struct sifive_i2c *i2c, sifive_i2c_rs_fn fn, void *arg)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&i2c->lock, flags);
	reinit_completion(&i2c->done);
	i2c->irq_ret = SIFIVE_I2C_PENDING;
	ret = sifive_i2c_call(i2c, fn, arg);
	/* A command issued: when it is due to end, for a polling wait. */
	i2c->cmd_ns = 0;
	sifive_i2c_call(i2c, sifive_i2c_rs_cmd_ns, &i2c->cmd_ns);
	if (i2c->cmd_ns || !sifive_i2c_going_on(ret))
		i2c->progress_j = jiffies;
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
	if (i2c->cmd_ns) {
		i2c->repolls = 0;
		/*
		 * Only for a polling wait to come: a reading of the clock costs
		 * more than the whole interrupt handler (on RISC-V, the time
		 * CSR may be emulated by the SBI firmware).
		 */
		if (ret == SIFIVE_I2C_POLL || (ret == SIFIVE_I2C_PENDING && !i2c->irq_wait))
			i2c->due = ktime_add_ns(ktime_get(), i2c->cmd_ns);
	}
	return ret;
}

/*
 * Drives the transfer in flight to its end: sleeps on the interrupt while
 * the core waits for one, else pauses one command's wire time between status
 * reads (sifive_i2c_pause()). A polled wait is bounded by the core's poll
 * budget, counted in status reads, which a task kept off the CPU does not
 * spend. A wait for the interrupt is bounded in time: the transfer has the
 * adapter's timeout plus wire_us, its messages' wire time; when that has
 * passed it reads the status once more (the task may have been kept off
 * the CPU while the controller went on), and times out only if no command
 * has completed for a whole adapter timeout; else it waits on until that
 * is so or the transfer ends. Then the core issues STOP, which gets ten
 * commands' time (at least 1 ms), after which the core gives it up. These
 * bounds are kept in jiffies, rounded up: the clock is read only by polling
 * waits, which need it (in atomic context, where jiffies may stand still,
 * the poll budget bounds every wait).
 */
/* The wire time of a byte at the programmed speed, us (at least 1). */
static u32 sifive_i2c_byte_us(struct sifive_i2c *i2c)
{
	u32 us = 1;

	sifive_i2c_locked(i2c, sifive_i2c_rs_byte_us, &us);
	return max(us, 1U);
}

static int sifive_i2c_wait(struct sifive_i2c *i2c, int ret, bool atomic, u32 wire_us)
{
	bool irq = i2c->irq_wait;
	u64 limit_us = (u64)jiffies_to_msecs(i2c->adap.timeout) * USEC_PER_MSEC + wire_us;
	unsigned long deadline = jiffies + usecs_to_jiffies(min_t(u64, limit_us, UINT_MAX)) + 1;
	bool timed_out = false;
	long left_j;
	/* A bit time, for polling waits only: set at the first. */
	u32 bit_ns = 0;
	u32 pct = READ_ONCE(sifive_i2c_poll_delay_pct);
	/* The first command's share: it was issued by the step before. */
	s64 budget_ns = (s64)i2c->cmd_ns * pct / 100;
	unsigned long tmo_j = i2c->adap.timeout;
	unsigned long idle_j;

	while (sifive_i2c_going_on(ret)) {
		left_j = (long)(deadline - jiffies);
		if (left_j <= 0 && !timed_out) {
			/* The deadline passed: look once more, then judge. */
			ret = sifive_i2c_step(i2c, sifive_i2c_rs_advance, NULL);
			idle_j = jiffies - READ_ONCE(i2c->progress_j);
			if (!(irq && ret == SIFIVE_I2C_PENDING))
				idle_j = 0;
			if (idle_j < tmo_j) {
				deadline = jiffies + tmo_j - idle_j;
				continue;
			}
		}
		if (left_j <= 0) {
			/* A non-NULL argument gives the transfer up. */
			ret = sifive_i2c_step(i2c, sifive_i2c_rs_timeout,
					      timed_out ? i2c : NULL);
			if (timed_out)
				break;
			timed_out = true;
			deadline = jiffies +
				   usecs_to_jiffies(max(10 * sifive_i2c_byte_us(i2c), 1000U)) + 1;
			continue;
		}
		if (irq && ret == SIFIVE_I2C_PENDING) {
			wait_for_completion_timeout(&i2c->done, left_j);
			/* Ended in the handler: its result, no more core calls. */
			ret = READ_ONCE(i2c->irq_ret);
			if (ret <= 0)
				break;
		} else {
			/* A byte is nine bit times. */
			if (!bit_ns)
				bit_ns = max_t(u32, sifive_i2c_byte_us(i2c) * 1000 / 9, 1);
			sifive_i2c_pause(i2c, bit_ns, &budget_ns, atomic);
		}
		ret = sifive_i2c_step(i2c, sifive_i2c_rs_advance, NULL);
		budget_ns += (s64)i2c->cmd_ns * pct / 100;
	}
	return sifive_i2c_going_on(ret) ? -ETIMEDOUT : ret;
}

static int sifive_i2c_run(struct i2c_adapter *adap, struct i2c_msg *msgs,
			  int num, bool atomic)
{
	struct sifive_i2c *i2c = i2c_get_adapdata(adap);
	struct sifive_i2c_xfer xfer = {
		.msgs = (struct sifive_i2c_msg *)msgs,
		.num = num,
	};
	int ret;

	if (num < 0)
		return -EINVAL;
	i2c->irq_wait = i2c->cfg.use_irq && !atomic && !i2c->irq_off;
	ret = sifive_i2c_step(i2c, sifive_i2c_rs_start, &xfer);
	/* The core has set wire_us if it accepted the transfer. */
	ret = sifive_i2c_wait(i2c, ret, atomic, xfer.wire_us);
	return ret ? ret : num;
}

static int sifive_i2c_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	return sifive_i2c_run(adap, msgs, num, false);
}

static int sifive_i2c_xfer_atomic(struct i2c_adapter *adap, struct i2c_msg *msgs,
				  int num)
{
	return sifive_i2c_run(adap, msgs, num, true);
}

/* The adapter's bus-recovery hook: the core's bus clear (RD with NACK, STOP). */
static int sifive_i2c_recover(struct i2c_adapter *adap)
{
	struct sifive_i2c *i2c = i2c_get_adapdata(adap);
	int ret;

	/* The controller is off; the I2C core refuses transfers likewise. */
	if (test_bit(I2C_ALF_IS_SUSPENDED, &adap->locked_flags))
		return -ESHUTDOWN;
	i2c->irq_wait = i2c->cfg.use_irq && !i2c->irq_off;
	ret = sifive_i2c_step(i2c, sifive_i2c_rs_recover, NULL);
	return sifive_i2c_wait(i2c, ret, false, 0);
}

/*
 * What the core runs (Documentation/kmod.rst, "Messages"): NOSTART, the
 * protocol mangling of IGNORE_NAK and REV_DIR_ADDR (NO_RD_ACK is refused),
 * and RECV_LEN, which the I2C core's SMBus block read emulation uses.
 */
static u32 sifive_i2c_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL | I2C_FUNC_SMBUS_READ_BLOCK_DATA |
	       I2C_FUNC_10BIT_ADDR | I2C_FUNC_NOSTART | I2C_FUNC_PROTOCOL_MANGLING;
}

static const struct i2c_algorithm sifive_i2c_algo = {
#ifdef SIFIVE_I2C_HAVE_XFER
	.xfer = sifive_i2c_xfer,
	.xfer_atomic = sifive_i2c_xfer_atomic,
#else
	/* Kernels before the rename (6.1): the same members, deprecated since. */
	.master_xfer = sifive_i2c_xfer,
	.master_xfer_atomic = sifive_i2c_xfer_atomic,
#endif
	.functionality = sifive_i2c_func,
};

static const struct i2c_adapter_quirks sifive_i2c_quirks = {
	.max_num_msgs = SIFIVE_I2C_MAX_MSGS,
};

/*
 * Disables the controller (CTR = 0: no EN, no IEN) through the core; for an
 * instance whose core panicked (it is not called any more), or if the core
 * fails, the glue writes CTR itself through its own accessor.
 */
static void sifive_i2c_off(struct sifive_i2c *i2c)
{
	struct sifive_i2c_io *io = &i2c->cfg.io;
	unsigned long flags;

	raw_spin_lock_irqsave(&i2c->lock, flags);
	if (sifive_i2c_call(i2c, sifive_i2c_rs_disable, NULL))
		io->write(io->ctx, SIFIVE_I2C_CTR, 0);
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
}

/*
 * Sets the core up at probe. There is no remove after a failed probe: if the
 * core panicked half-way, the glue turns the controller off itself.
 */
static int sifive_i2c_init(struct sifive_i2c *i2c)
{
	struct sifive_i2c_io *io = &i2c->cfg.io;
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&i2c->lock, flags);
	ret = sifive_i2c_call(i2c, sifive_i2c_rs_init, &i2c->cfg);
	if (sifive_i2c_poisoned(i2c))
		io->write(io->ctx, SIFIVE_I2C_CTR, 0);
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
	return ret;
}

/* At remove; after a failed resume, the controller is off already. */
static void sifive_i2c_disable(void *data)
{
	struct sifive_i2c *i2c = data;

	if (!i2c->clk_off)
		sifive_i2c_off(i2c);
}

static int sifive_i2c_accessors(struct sifive_i2c *i2c, struct device_node *np)
{
	struct sifive_i2c_io *io = &i2c->cfg.io;
	bool be = of_device_is_big_endian(np);
	u32 width = 1;

	of_property_read_u32(np, "reg-io-width", &width);
	switch (width) {
	case 1:
		io->read = sifive_i2c_read8;
		io->write = sifive_i2c_write8;
		break;
	case 2:
		io->read = be ? sifive_i2c_read16be : sifive_i2c_read16;
		io->write = be ? sifive_i2c_write16be : sifive_i2c_write16;
		break;
	case 4:
		io->read = be ? sifive_i2c_read32be : sifive_i2c_read32;
		io->write = be ? sifive_i2c_write32be : sifive_i2c_write32;
		break;
	default:
		return dev_err_probe(i2c->dev, -EINVAL,
				     "unsupported reg-io-width %u\n", width);
	}
	io->ctx = i2c;
	return 0;
}

/* Disables the clock at remove, unless a failed resume left it off. */
static void sifive_i2c_clk_put(void *data)
{
	struct sifive_i2c *i2c = data;

	if (!i2c->clk_off)
		clk_disable_unprepare(i2c->clk);
}

/* The input clock and bus speed, read as i2c-ocores reads them. */
static int sifive_i2c_clocks(struct sifive_i2c *i2c, struct device_node *np)
{
	u32 bus_hz, ip_hz;
	bool bus_given;
	int ret;

	bus_given = !of_property_read_u32(np, "clock-frequency", &bus_hz);
	i2c->cfg.bus_hz = I2C_MAX_STANDARD_MODE_FREQ;
	i2c->clk = devm_clk_get_optional(i2c->dev, NULL);
	if (IS_ERR(i2c->clk))
		return dev_err_probe(i2c->dev, PTR_ERR(i2c->clk), "cannot get clock\n");
	ret = clk_prepare_enable(i2c->clk);
	if (ret)
		return dev_err_probe(i2c->dev, ret, "cannot enable clock\n");
	ret = devm_add_action_or_reset(i2c->dev, sifive_i2c_clk_put, i2c);
	if (ret)
		return ret;
	if (i2c->clk) {
		i2c->cfg.clock_hz = clk_get_rate(i2c->clk);
		if (bus_given)
			i2c->cfg.bus_hz = bus_hz;
	}
	if (!i2c->cfg.clock_hz) {
		if (!of_property_read_u32(np, "opencores,ip-clock-frequency", &ip_hz)) {
			i2c->cfg.clock_hz = ip_hz;
			if (bus_given)
				i2c->cfg.bus_hz = bus_hz;
		} else if (bus_given) {
			/* The old binding: clock-frequency is the input clock. */
			i2c->cfg.clock_hz = bus_hz;
		} else {
			return dev_err_probe(i2c->dev, -ENODEV,
					     "no clock and no opencores,ip-clock-frequency\n");
		}
	}
	return 0;
}

static int sifive_i2c_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np = dev->of_node;
	struct sifive_i2c *i2c;
	u32 step;
	int ret;

	i2c = devm_kzalloc(dev, sizeof(*i2c), GFP_KERNEL);
	if (!i2c)
		return -ENOMEM;
	i2c->dev = dev;
	raw_spin_lock_init(&i2c->lock);
	init_completion(&i2c->done);

	i2c->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(i2c->base))
		return PTR_ERR(i2c->base);
	if (of_property_read_u32(np, "reg-shift", &i2c->reg_shift) &&
	    !of_property_read_u32(np, "regstep", &step)) {
		/* The deprecated binding, read as i2c-ocores reads it. */
		if (!is_power_of_2(step))
			return dev_err_probe(dev, -EINVAL, "invalid regstep %u\n", step);
		i2c->reg_shift = ilog2(step);
		dev_warn(dev, "regstep property deprecated, use reg-shift\n");
	}
	if (i2c->reg_shift > 2)
		return dev_err_probe(dev, -EINVAL, "unsupported reg-shift %u\n",
				     i2c->reg_shift);
	ret = sifive_i2c_accessors(i2c, np);
	if (ret)
		return ret;
	ret = sifive_i2c_clocks(i2c, np);
	if (ret)
		return ret;

	/* FU540-C000: IF cannot be cleared, so the interrupt is of no use. */
	if (of_device_is_compatible(np, "sifive,fu540-c000-i2c")) {
		i2c->cfg.fu540_erratum = 1;
		i2c->irq = -ENXIO;
	} else {
		i2c->irq = platform_get_irq_optional(pdev, 0);
		if (i2c->irq < 0 && i2c->irq != -ENXIO)
			return i2c->irq;
	}
	i2c->cfg.use_irq = i2c->irq > 0;
	sifive_i2c_measure_sleep(i2c);
#ifdef SIFIVE_I2C_PANIC_TEST
	i2c->cfg.panic_mask = READ_ONCE(panic_mask);
#endif

	ret = sifive_i2c_init(i2c);
	if (ret)
		return dev_err_probe(dev, ret, "cannot run the bus at %u Hz from %u Hz\n",
				     i2c->cfg.bus_hz, i2c->cfg.clock_hz);
	ret = devm_add_action_or_reset(dev, sifive_i2c_disable, i2c);
	if (ret)
		return ret;
	if (i2c->cfg.use_irq) {
		/*
		 * As i2c-ocores: a threaded handler where the interrupt comes
		 * through a nested threaded irqchip (an I2C or GPIO expander).
		 * Returns IRQC_IS_HARDIRQ or IRQC_IS_NESTED on success.
		 */
		ret = devm_request_any_context_irq(dev, i2c->irq, sifive_i2c_isr, 0,
						   dev_name(dev), i2c);
		if (ret < 0)
			return dev_err_probe(dev, ret, "cannot claim IRQ %d\n", i2c->irq);
	}

	i2c->adap.owner = THIS_MODULE;
	i2c->adap.algo = &sifive_i2c_algo;
	i2c->adap.quirks = &sifive_i2c_quirks;
	i2c->recovery.recover_bus = sifive_i2c_recover;
	i2c->adap.bus_recovery_info = &i2c->recovery;
	i2c->adap.dev.parent = dev;
	i2c->adap.dev.of_node = np;
	strscpy(i2c->adap.name, "sifive-i2c", sizeof(i2c->adap.name));
	i2c_set_adapdata(&i2c->adap, i2c);
	platform_set_drvdata(pdev, i2c);

	ret = devm_i2c_add_adapter(dev, &i2c->adap);
	if (ret)
		return ret;
	dev_dbg(dev, "%u Hz bus from a %u Hz clock, %s\n", i2c->cfg.bus_hz,
		i2c->cfg.clock_hz, i2c->cfg.use_irq ? "interrupt" : "polling");
	return 0;
}

/*
 * Device interrupts are suspended between suspend_late and resume_early, but
 * clients (a PMIC's noirq callbacks) may still transfer: they poll then. The
 * bus lock waits for a transfer in flight, which may sleep on the interrupt.
 */
static int sifive_i2c_suspend_late(struct device *dev)
{
	struct sifive_i2c *i2c = dev_get_drvdata(dev);

	i2c_lock_bus(&i2c->adap, I2C_LOCK_ROOT_ADAPTER);
	i2c->irq_off = true;
	i2c_unlock_bus(&i2c->adap, I2C_LOCK_ROOT_ADAPTER);
	return 0;
}

static int sifive_i2c_resume_early(struct device *dev)
{
	struct sifive_i2c *i2c = dev_get_drvdata(dev);

	i2c_lock_bus(&i2c->adap, I2C_LOCK_ROOT_ADAPTER);
	i2c->irq_off = false;
	i2c_unlock_bus(&i2c->adap, I2C_LOCK_ROOT_ADAPTER);
	return 0;
}

/*
 * The noirq phase, as i2c-ocores: the last one, so that clients can transfer
 * in theirs. i2c_mark_adapter_suspended() takes the adapter's bus lock, which
 * every transfer holds from its START to its end (bus recovery included): it
 * waits for a transfer in flight to end, then the I2C core refuses new ones
 * with -ESHUTDOWN until resume. Nothing is cut mid-byte.
 */
static int sifive_i2c_suspend(struct device *dev)
{
	struct sifive_i2c *i2c = dev_get_drvdata(dev);

	i2c_mark_adapter_suspended(&i2c->adap);
	if (!i2c->clk_off) {
		sifive_i2c_off(i2c);
		clk_disable_unprepare(i2c->clk);
		i2c->clk_off = true;
	}
	return 0;
}

/*
 * Enables the clock, re-reads its rate (it may have changed while suspended)
 * and programs the controller again. On failure the clock goes off again and
 * the adapter stays suspended: transfers fail with -ESHUTDOWN.
 */
static int sifive_i2c_resume(struct device *dev)
{
	struct sifive_i2c *i2c = dev_get_drvdata(dev);
	unsigned long flags;
	unsigned long rate;
	u32 old_hz;
	int ret;

	ret = clk_prepare_enable(i2c->clk);
	if (ret) {
		dev_err(dev, "cannot enable clock: %d\n", ret);
		return ret;
	}
	rate = clk_get_rate(i2c->clk);
	raw_spin_lock_irqsave(&i2c->lock, flags);
	if (rate && rate != i2c->cfg.clock_hz) {
		/* Set up anew for the new rate; keep the old one on failure. */
		old_hz = i2c->cfg.clock_hz;
		i2c->cfg.clock_hz = rate;
		ret = sifive_i2c_call(i2c, sifive_i2c_rs_init, &i2c->cfg);
		if (ret)
			i2c->cfg.clock_hz = old_hz;
	} else {
		ret = sifive_i2c_call(i2c, sifive_i2c_rs_resume, NULL);
	}
	raw_spin_unlock_irqrestore(&i2c->lock, flags);
	if (ret) {
		dev_err(dev, "cannot resume the bus at %u Hz: %d\n",
			i2c->cfg.bus_hz, ret);
		sifive_i2c_off(i2c);
		clk_disable_unprepare(i2c->clk);
		return ret;
	}
	i2c->clk_off = false;
	i2c_mark_adapter_resumed(&i2c->adap);
	return 0;
}

static const struct dev_pm_ops sifive_i2c_pm = {
	LATE_SYSTEM_SLEEP_PM_OPS(sifive_i2c_suspend_late, sifive_i2c_resume_early)
	NOIRQ_SYSTEM_SLEEP_PM_OPS(sifive_i2c_suspend, sifive_i2c_resume)
};

static const struct of_device_id sifive_i2c_of_match[] = {
	{ .compatible = "sifive,fu540-c000-i2c" },
	{ .compatible = "sifive,fu740-c000-i2c" },
	{ .compatible = "sifive,i2c0" },
	{ .compatible = "opencores,i2c-ocores" },
	{ }
};
MODULE_DEVICE_TABLE(of, sifive_i2c_of_match);

static struct platform_driver sifive_i2c_driver = {
	.probe = sifive_i2c_probe,
	.driver = {
		.name = "sifive-i2c",
		.of_match_table = sifive_i2c_of_match,
		.pm = pm_sleep_ptr(&sifive_i2c_pm),
	},
};
module_platform_driver(sifive_i2c_driver);

MODULE_DESCRIPTION("SiFive (OpenCores) I2C controller, with a Rust core");
MODULE_LICENSE("GPL");
