// SPDX-License-Identifier: GPL-2.0
/*
 * The test module of the Linux boot tests (scripts/linux-test).
 *
 * Loaded with bus=N action=ACTION, it runs on I2C adapter N what no
 * user-space call reaches, and logs each result as a line
 * "i2ctest: STEP STATUS [DATA]" (STATUS "ok" or the errno's name), as the
 * init of the tests does:
 *
 * - recover: i2c_recover_bus() (step "recover_bus"), at load time;
 * - atomic: when the system restarts (system_state past SYSTEM_RUNNING,
 *   as i2c_in_atomic_xfer_mode() requires), a 16-byte read of the EEPROM
 *   at 0x50 from word address 0 with interrupts off (step "atomic_xfer"),
 *   and which of the adapter's transfer functions ran, counted by kprobes
 *   (step "atomic_path": "xfer_atomic=N xfer=N", or "xfer=same" if the
 *   adapter has one function for both).
 */

#include <linux/err.h>
#include <linux/i2c.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/reboot.h>
#include <linux/string.h>

#define I2CTEST_EEPROM		0x50
#define I2CTEST_LEN		16

static int bus = -1;
module_param(bus, int, 0444);
MODULE_PARM_DESC(bus, "the I2C adapter's number");

static char *action = "";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action, "recover or atomic");

static struct i2c_adapter *i2ctest_adap;
static struct sys_off_handler *i2ctest_off;
static unsigned int i2ctest_atomic_calls;
static unsigned int i2ctest_xfer_calls;
static bool i2ctest_xfer_probed;

/*
 * The errnos a bus driver returns, by name: the test kernel has no
 * CONFIG_SYMBOLIC_ERRNAME for %pe.
 */
static const struct {
	int err;
	const char *name;
} i2ctest_errnos[] = {
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { EAGAIN, "EAGAIN" },
	{ EBUSY, "EBUSY" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ EPROTO, "EPROTO" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ESHUTDOWN, "ESHUTDOWN" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ EREMOTEIO, "EREMOTEIO" },
};

/* The status word of a result line: "ok" or the errno's name. */
static void i2ctest_status(char *buf, size_t size, int ret)
{
	size_t i;

	if (ret >= 0) {
		strscpy(buf, "ok", size);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(i2ctest_errnos); i++) {
		if (i2ctest_errnos[i].err == -ret) {
			strscpy(buf, i2ctest_errnos[i].name, size);
			return;
		}
	}
	snprintf(buf, size, "E%d", -ret);
}

static int i2ctest_count_atomic(struct kprobe *p, struct pt_regs *regs)
{
	i2ctest_atomic_calls++;
	return 0;
}

static int i2ctest_count_xfer(struct kprobe *p, struct pt_regs *regs)
{
	i2ctest_xfer_calls++;
	return 0;
}

static struct kprobe i2ctest_kp_atomic = {
	.pre_handler = i2ctest_count_atomic,
};

static struct kprobe i2ctest_kp_xfer = {
	.pre_handler = i2ctest_count_xfer,
};

static int i2ctest_restart(struct sys_off_data *data)
{
	u8 word = 0;
	u8 buf[I2CTEST_LEN];
	struct i2c_msg msgs[] = {
		{ .addr = I2CTEST_EEPROM, .flags = 0, .len = 1, .buf = &word },
		{ .addr = I2CTEST_EEPROM, .flags = I2C_M_RD, .len = sizeof(buf),
		  .buf = buf },
	};
	unsigned long flags;
	char status[24];
	int ret;

	memset(buf, 0, sizeof(buf));
	i2ctest_atomic_calls = 0;
	i2ctest_xfer_calls = 0;
	local_irq_save(flags);
	ret = i2c_transfer(i2ctest_adap, msgs, ARRAY_SIZE(msgs));
	local_irq_restore(flags);
	if (ret == ARRAY_SIZE(msgs))
		ret = 0;
	else if (ret >= 0)
		ret = -EIO;
	i2ctest_status(status, sizeof(status), ret);
	pr_info("i2ctest: atomic_xfer %s 00 %*phN\n", status,
		ret ? 0 : (int)sizeof(buf), buf);
	if (i2ctest_xfer_probed)
		pr_info("i2ctest: atomic_path ok xfer_atomic=%u xfer=%u\n",
			i2ctest_atomic_calls, i2ctest_xfer_calls);
	else
		pr_info("i2ctest: atomic_path ok xfer_atomic=%u xfer=same\n",
			i2ctest_atomic_calls);
	return NOTIFY_DONE;
}

/*
 * A driver may give the same function for both (i2c-ocores when it polls):
 * then one kprobe counts both, and the line says xfer=same.
 */
static int i2ctest_atomic_setup(void)
{
	const struct i2c_algorithm *algo = i2ctest_adap->algo;
	int ret;

	if (!algo->master_xfer_atomic || !algo->master_xfer) {
		pr_info("i2ctest: atomic_setup EOPNOTSUPP\n");
		return -EOPNOTSUPP;
	}
	i2ctest_kp_atomic.addr = (kprobe_opcode_t *)algo->master_xfer_atomic;
	i2ctest_kp_xfer.addr = (kprobe_opcode_t *)algo->master_xfer;
	ret = register_kprobe(&i2ctest_kp_atomic);
	if (ret)
		return ret;
	if (i2ctest_kp_xfer.addr != i2ctest_kp_atomic.addr) {
		ret = register_kprobe(&i2ctest_kp_xfer);
		if (ret)
			goto err_atomic;
		i2ctest_xfer_probed = true;
	}
	i2ctest_off = register_sys_off_handler(SYS_OFF_MODE_RESTART_PREPARE,
					       SYS_OFF_PRIO_DEFAULT,
					       i2ctest_restart, NULL);
	if (IS_ERR(i2ctest_off)) {
		ret = PTR_ERR(i2ctest_off);
		goto err_xfer;
	}
	return 0;

err_xfer:
	if (i2ctest_xfer_probed)
		unregister_kprobe(&i2ctest_kp_xfer);
err_atomic:
	unregister_kprobe(&i2ctest_kp_atomic);
	return ret;
}

static int __init i2ctest_init(void)
{
	char status[24];
	int ret;

	i2ctest_adap = i2c_get_adapter(bus);
	if (!i2ctest_adap)
		return -ENODEV;

	if (!strcmp(action, "recover")) {
		ret = i2c_recover_bus(i2ctest_adap);
		i2ctest_status(status, sizeof(status), ret);
		pr_info("i2ctest: recover_bus %s\n", status);
		return 0;
	}
	if (!strcmp(action, "atomic")) {
		ret = i2ctest_atomic_setup();
		if (ret)
			goto err_put;
		return 0;
	}
	ret = -EINVAL;
err_put:
	i2c_put_adapter(i2ctest_adap);
	return ret;
}
module_init(i2ctest_init);

static void __exit i2ctest_exit(void)
{
	if (i2ctest_off) {
		unregister_sys_off_handler(i2ctest_off);
		if (i2ctest_xfer_probed)
			unregister_kprobe(&i2ctest_kp_xfer);
		unregister_kprobe(&i2ctest_kp_atomic);
	}
	i2c_put_adapter(i2ctest_adap);
}
module_exit(i2ctest_exit);

MODULE_DESCRIPTION("Runs the I2C core's kernel-only paths for the boot tests");
MODULE_LICENSE("GPL");
