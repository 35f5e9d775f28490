// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The HiFive Unleashed as the example sees it: the FU540-C000's profile from
//! sifive-i2c-hal (I2C0, UART0, the PRCI's clocks), and the CLINT timer from
//! riscv-peripheral, for delays. No `unsafe` here: the profile owns the register access.

use core::fmt::Write as _;

use sifive_i2c::{BusSpeed, Config, I2c};
use sifive_i2c_hal::soc::{fu540, Console};
use sifive_i2c_hal::Mmio;

// The CLINT; mtime counts the 1 MHz rtcclk of the HiFive Unleashed.
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 1_000_000);

/// UART0 at 115200 baud and I2C0 at `speed`, from the FU540's peripherals; parks the hart
/// if they were taken or the clock cannot be read (no output is possible then).
pub(crate) fn init(speed: BusSpeed) -> (Console, I2c<Mmio>) {
    let Some(p) = fu540::Peripherals::take() else {
        park()
    };
    // tlclk, read from the PRCI: nothing is written there.
    let Ok(tlclk) = p.prci.tlclk_hz(fu540::HIFIVE_UNLEASHED_HFCLK_HZ) else {
        park()
    };
    let mut uart = p.uart0.into_console(tlclk, 115_200);
    let _ = writeln!(uart, "sifive-i2c on the HiFive Unleashed, tlclk {tlclk} Hz");
    // The profile sets the FU540-C000 interrupt erratum: the driver completes on TIP and
    // never enables the interrupt. A clock it cannot divide to the bus speed is refused
    // here, before any register is written.
    match I2c::from_instance(p.i2c0, Config::new(tlclk, speed)) {
        Ok(i2c) => (uart, i2c),
        Err(e) => {
            let _ = writeln!(uart, "i2c0: {e}");
            park()
        }
    }
}

/// A delay on the CLINT's mtime, for the EEPROM's write cycle.
#[cfg_attr(not(feature = "demo"), expect(dead_code, reason = "the demo waits"))]
pub(crate) fn delay() -> impl embedded_hal::delay::DelayNs {
    Clint::new().mtimer()
}

/// Parks the hart.
pub(crate) fn park() -> ! {
    loop {
        riscv::asm::wfi();
    }
}
