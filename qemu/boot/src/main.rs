// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bare-metal boot tests of the sifive-i2c driver on QEMU's sifive_u (riscv64imac) and
//! sifive_e (riscv32imac, the HiFive1 Rev B).
//!
//! The image drives the real driver through the `Mmio` HAL against the emulated OpenCores
//! controller (at 0x1003_0000 on sifive_u, 0x1001_6000 on sifive_e) and QEMU's own I2C
//! targets: an AT24C EEPROM at 0x50, a TMP105 at 0x48 and, on sifive_u, a DS1338 RTC at
//! 0x68. Results are printed as KTAP on UART0; the exit status goes to QEMU through
//! semihosting. Start-up and trap handling are riscv-rt's.
//!
//! Which suite runs is read from the word at [`board::SUITE_ADDR`], which
//! scripts/qemu-test sets with QEMU's generic loader (`-device loader,addr=...,data=N,
//! data-len=4`), so the test knows which fault QEMU was told to inject.

#![no_std]
#![no_main]

mod board;
mod clients;
mod ktap;
mod modes;
mod rt;
mod scenarios;
mod soak;

use core::fmt::Write as _;
use core::sync::atomic::Ordering;

use board::Uart;

/// The machine external interrupt: claims the PLIC source and runs its handler.
#[riscv_rt::core_interrupt(riscv::interrupt::Interrupt::MachineExternal)]
fn machine_external() {
    if let Some(irq) = board::plic_claim() {
        // The one-shot async mode leaves the claim for its task to complete.
        if irq != board::I2C0_IRQ || modes::i2c0_interrupt() {
            board::plic_complete(irq);
        }
    }
}

/// Entry from riscv-rt's start-up code, on hart 0.
#[riscv_rt::entry]
fn main() -> ! {
    Uart::init();
    // SAFETY: scripts/qemu-test always loads the selector word at SUITE_ADDR, which is
    // RAM outside this image and its stack; without it the word reads as zero (the main
    // suite).
    let suite = unsafe { core::ptr::read_volatile(board::SUITE_ADDR as *const u32) };
    if let Err(e) = board::clock_init() {
        let _ = writeln!(Uart, "Bail out! {}: clock set-up: {e}", board::NAME);
        rt::exit(3);
    }
    let failed = match suite {
        0x1000.. => soak::run(suite),
        0x200.. => rt::self_test(suite),
        0x100.. => clients::run(suite),
        _ => scenarios::run(suite),
    };
    let _ = writeln!(
        Uart,
        "# interrupts taken: {}",
        modes::IRQS.load(Ordering::Relaxed)
    );
    rt::exit(u32::from(failed != 0))
}
