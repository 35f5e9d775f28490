// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Start-up, trap entry, semihosting exit and the panic handler.
//!
//! Every hart enters `_start` at 0x80000000 in M-mode. Hart 0 (the E51) runs the tests;
//! the others park in `wfi` with their interrupts off.

use core::arch::global_asm;
use core::fmt::Write as _;

global_asm!(
    r#"
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrw mie, zero
    csrr t0, mhartid
    bnez t0, 3f
    la sp, _stack_top
    la t0, _sbss
    la t1, _ebss
1:
    bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    la t0, trap_entry
    csrw mtvec, t0
    call boot_main
3:
    wfi
    j 3b

    .section .text.trap, "ax"
    .balign 4
    .globl trap_entry
trap_entry:
    addi sp, sp, -128
    sd ra, 0(sp)
    sd t0, 8(sp)
    sd t1, 16(sp)
    sd t2, 24(sp)
    sd t3, 32(sp)
    sd t4, 40(sp)
    sd t5, 48(sp)
    sd t6, 56(sp)
    sd a0, 64(sp)
    sd a1, 72(sp)
    sd a2, 80(sp)
    sd a3, 88(sp)
    sd a4, 96(sp)
    sd a5, 104(sp)
    sd a6, 112(sp)
    sd a7, 120(sp)
    csrr a0, mcause
    call trap_handler
    ld ra, 0(sp)
    ld t0, 8(sp)
    ld t1, 16(sp)
    ld t2, 24(sp)
    ld t3, 32(sp)
    ld t4, 40(sp)
    ld t5, 48(sp)
    ld t6, 56(sp)
    ld a0, 64(sp)
    ld a1, 72(sp)
    ld a2, 80(sp)
    ld a3, 88(sp)
    ld a4, 96(sp)
    ld a5, 104(sp)
    ld a6, 112(sp)
    ld a7, 120(sp)
    addi sp, sp, 128
    mret

    .section .text.semihosting, "ax"
    .balign 16
    .globl semihosting_call
semihosting_call:
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    ret
"#
);

unsafe extern "C" {
    /// The RISC-V semihosting trap sequence: operation in `a0`, parameter in `a1`.
    fn semihosting_call(op: usize, param: *const u64) -> usize;
}

/// Ends the QEMU run with `code` as its exit status (semihosting SYS_EXIT).
pub(crate) fn exit(code: u32) -> ! {
    // Let the UART drain before QEMU stops.
    crate::board::delay_us(200);
    const SYS_EXIT: usize = 0x18;
    const ADP_STOPPED_APPLICATION_EXIT: u64 = 0x20026;
    let block = [ADP_STOPPED_APPLICATION_EXIT, u64::from(code)];
    // SAFETY: QEMU runs with semihosting enabled (scripts/qemu-test passes
    // -semihosting-config enable=on); SYS_EXIT reads the two-word block, which lives on
    // the stack for the duration of the call.
    unsafe {
        semihosting_call(SYS_EXIT, block.as_ptr());
    }
    // Without semihosting the call returns: park.
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let _ = writeln!(crate::board::Uart, "# PANIC: {info}");
    let _ = writeln!(crate::board::Uart, "Bail out! panic");
    exit(2)
}
