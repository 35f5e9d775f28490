// SPDX-License-Identifier: GPL-2.0 OR MIT

//! What the image adds to riscv-rt: the exit through semihosting, the panic handler and the
//! handlers for traps the tests do not expect.
//!
//! riscv-rt does the start-up (hart 1 parked in `wfi`, `.bss` and `.data`, stacks, `mtvec`)
//! and the trap entry and dispatch; riscv-semihosting does the semihosting call.
//!
//! These few functions stay hand-written because the maintained crates end a run
//! differently from what scripts/qemu-test reads: panic-halt and riscv-rt's default
//! handlers (`_default_abort`) loop forever, so the script would wait for its timeout; a
//! panic handler that prints through semihosting writes to the host's stderr, not the KTAP
//! stream on UART0; and `riscv_semihosting::debug::exit` has only a success and a failure
//! status, where the script tells a failed test (1), a panic (2) and an unexpected trap (3)
//! apart.

use core::fmt::Write as _;

use riscv_semihosting::debug::Exception;

use crate::board::{self, Uart};

/// Ends the QEMU run with `code` as its exit status (semihosting SYS_EXIT).
pub(crate) fn exit(code: u32) -> ! {
    // Let the UART drain before QEMU stops.
    board::delay_us(200);
    // riscv_semihosting::debug::exit reports only success or failure; the tests tell a
    // failed test (1) from a panic (2) and an unexpected trap (3), so pass the status in
    // the two-word block SYS_EXIT takes on a 64-bit target.
    let block = [Exception::ApplicationExit as usize, code as usize];
    // SAFETY: QEMU runs with semihosting enabled (scripts/qemu-test passes
    // -semihosting-config enable=on); SYS_EXIT reads the two-word block, which lives on
    // the stack for the duration of the call.
    unsafe {
        riscv_semihosting::syscall(riscv_semihosting::nr::REPORT_EXCEPTION, &block);
    }
    // Without semihosting the call returns: park.
    loop {
        riscv::asm::wfi();
    }
}

/// The runtime's own checks, which end the run through the handlers below: 0x200 raises
/// an illegal-instruction exception (exit status 3), 0x201 divides by zero (a panic, exit
/// status 2). scripts/qemu-test checks the status and the `Bail out!` line. Returns only
/// for an unknown suite.
pub(crate) fn self_test(suite: u32) -> u32 {
    match suite {
        0x200 => {
            // SAFETY: `unimp` raises an illegal-instruction exception, which riscv-rt
            // dispatches to `exception_handler`; that reports it and ends the run.
            unsafe { core::arch::asm!("unimp") };
            let _ = writeln!(Uart, "# unimp returned");
            1
        }
        // A division by zero, the kind of panic the handler is there for: one from code
        // that does not call `panic!` itself.
        0x201 => 1 / core::hint::black_box(suite - 0x201),
        _ => {
            let _ = writeln!(Uart, "Bail out! unknown suite {suite:#x}");
            1
        }
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let _ = writeln!(Uart, "# PANIC: {info}");
    let _ = writeln!(Uart, "Bail out! panic");
    exit(2)
}

/// Any exception: the tests cause none.
#[unsafe(export_name = "ExceptionHandler")]
fn exception_handler(frame: &riscv_rt::TrapFrame) -> ! {
    let _ = writeln!(
        Uart,
        "Bail out! unexpected exception, mcause {:#x}, mepc {:#x}, ra {:#x}",
        riscv::register::mcause::read().bits(),
        riscv::register::mepc::read(),
        frame.ra
    );
    exit(3)
}

/// Any core interrupt but the machine external one, which main.rs handles.
#[unsafe(export_name = "DefaultHandler")]
fn default_handler() -> ! {
    let _ = writeln!(
        Uart,
        "Bail out! unexpected interrupt, mcause {:#x}",
        riscv::register::mcause::read().bits()
    );
    exit(3)
}
