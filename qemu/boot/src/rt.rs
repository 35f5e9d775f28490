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

/// The semihosting call that ends the run with a status on any target (riscv-semihosting
/// has no constant for it).
const SYS_EXIT_EXTENDED: usize = 0x20;

/// The SYS_EXIT parameter blocks of the statuses the image ends with: 0 all passed, 1 a
/// test failed, 2 a panic, 3 an unexpected trap. They are statics, in the image's
/// read-only data, because of how QEMU reads the block on sifive_e: qemu-system-riscv64
/// running the FE310's RV32 core takes the block's address from a1 sign-extended, so a
/// block on the stack (DTIM, at 0x8000_0000) is looked for at 0xffff_ffff_8000_xxxx and
/// the call fails; the flash, where sifive_e's read-only data lies, is below 2 GiB.
static EXIT_BLOCKS: [[usize; 2]; 4] = [
    [Exception::ApplicationExit as usize, 0],
    [Exception::ApplicationExit as usize, 1],
    [Exception::ApplicationExit as usize, 2],
    [Exception::ApplicationExit as usize, 3],
];

/// Ends the QEMU run with `code` (0 to 3, see [`EXIT_BLOCKS`]; anything else ends it
/// with 1) as its exit status (semihosting SYS_EXIT).
pub(crate) fn exit(code: u32) -> ! {
    // Let the UART drain before QEMU stops.
    board::delay_us(200);
    // riscv_semihosting::debug::exit reports only success or failure; the tests tell a
    // failed test (1) from a panic (2) and an unexpected trap (3), so pass the status in
    // a two-word block: SYS_EXIT takes one on a 64-bit target, while on a 32-bit one it
    // takes the reason alone and SYS_EXIT_EXTENDED (0x20) is the call with the block.
    let block = EXIT_BLOCKS.get(code as usize).unwrap_or(&EXIT_BLOCKS[1]);
    let nr = if cfg!(target_arch = "riscv32") {
        SYS_EXIT_EXTENDED
    } else {
        riscv_semihosting::nr::REPORT_EXCEPTION
    };
    // SAFETY: QEMU runs with semihosting enabled (scripts/qemu-test passes
    // -semihosting-config enable=on); SYS_EXIT and SYS_EXIT_EXTENDED read the two-word
    // block, a static.
    unsafe {
        riscv_semihosting::syscall(nr, block);
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
