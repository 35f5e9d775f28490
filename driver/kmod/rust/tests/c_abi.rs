// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Host test of the module's C ABI: `c_abi.c`, compiled by the `cc` crate, calls the Rust
//! core through `sifive_i2c.h` as the glue does, with register callbacks connected to the host
//! model. ABI mistakes (layouts, flags, return codes) show here before a kernel boots.

use core::ffi::{c_int, c_void};

use sifive_i2c_hal::model::{Eeprom24c02, Event, Fault, Model};
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::Regs;
use sifive_i2c_kmod::bindings::sifive_i2c_io;

extern "C" {
    fn c_abi_eeprom(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_errors(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_write_errno(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_recover(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_irq(io: *const sifive_i2c_io, line: LineFn) -> c_int;
}

/// The interrupt line as `c_abi_irq` samples it.
///
/// # Safety
///
/// Called with the `ctx` of the `sifive_i2c_io` given to `c_abi_irq`.
type LineFn = unsafe extern "C" fn(ctx: *mut c_void) -> c_int;

const READS: [ReadReg; 5] = [
    ReadReg::PrerLo,
    ReadReg::PrerHi,
    ReadReg::Ctr,
    ReadReg::Rxr,
    ReadReg::Sr,
];
const WRITES: [WriteReg; 5] = [
    WriteReg::PrerLo,
    WriteReg::PrerHi,
    WriteReg::Ctr,
    WriteReg::Txr,
    WriteReg::Cr,
];

/// Reads register `reg` of the model.
///
/// # Safety
///
/// `ctx` is the `Model` that `io()` gave, alive and not otherwise borrowed.
unsafe extern "C" fn read(ctx: *mut c_void, reg: u32) -> u8 {
    // SAFETY: `io()` sets `ctx` to the test's `Model`, which outlives the C call.
    let model = unsafe { &mut *ctx.cast::<Model>() };
    model.read(READS[reg as usize])
}

/// Writes register `reg` of the model.
///
/// # Safety
///
/// As [`read`].
unsafe extern "C" fn write(ctx: *mut c_void, reg: u32, value: u8) {
    // SAFETY: As in `read`.
    let model = unsafe { &mut *ctx.cast::<Model>() };
    model.write(WRITES[reg as usize], value);
}

/// The interrupt line, after one unit of time has passed.
///
/// # Safety
///
/// As [`read`].
unsafe extern "C" fn line(ctx: *mut c_void) -> c_int {
    // SAFETY: As in `read`.
    let model = unsafe { &mut *ctx.cast::<Model>() };
    model.tick();
    c_int::from(model.irq_line())
}

fn io(model: &mut Model) -> sifive_i2c_io {
    sifive_i2c_io {
        read: Some(read),
        write: Some(write),
        ctx: (model as *mut Model).cast(),
    }
}

fn board() -> Model {
    let mut model = Model::new();
    model.attach(0x50, Eeprom24c02::new());
    model
}

fn eeprom(model: &Model) -> &[u8; 256] {
    model
        .target::<Eeprom24c02>(0x50)
        .expect("EEPROM at 0x50")
        .memory()
}

#[test]
fn eeprom_write_and_read_back() {
    let mut model = board();
    let io = io(&mut model);
    // SAFETY: `io` points to the live `model`.
    assert_eq!(unsafe { c_abi_eeprom(&io) }, 0, "c_abi.c line");
    assert_eq!(
        &eeprom(&model)[0x20..0x28],
        &[0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37]
    );
    assert!(model.bus_idle());
}

#[test]
fn errors_and_message_shapes() {
    let mut model = board();
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_errors(&io) }, 0, "c_abi.c line");
    assert!(model.bus_idle());
}

#[test]
fn refused_messages_touch_no_register() {
    let mut model = board();
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_errors(&io) }, 0);
    // The refused shapes (two addresses, same direction without NOSTART, bad address, no
    // messages) put nothing on the bus: the log holds the three accepted transfers only.
    let starts = model
        .events()
        .iter()
        .filter(|e| **e == Event::Start)
        .count();
    assert_eq!(starts, 3);
}

#[test]
fn arbitration_loss_is_eagain_and_the_bus_recovers() {
    let mut model = board();
    model.inject(Fault::ArbitrationLoss(1));
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&io) }, -11);
    model.clear_faults();
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&io) }, 0);
    assert_eq!(eeprom(&model)[0x40], 0x5a);
}

#[test]
fn data_nack_is_eio() {
    let mut model = board();
    model.inject(Fault::NackData(1));
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&io) }, -5);
    assert!(model.bus_idle());
}

#[test]
fn stuck_controller_times_out_with_etimedout() {
    let mut model = board();
    model.inject(Fault::TipStuck);
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&io) }, -110);
    model.clear_faults();
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&io) }, 0);
}

#[test]
fn interrupt_path() {
    let mut model = board();
    let io = io(&mut model);
    // SAFETY: As above; `line` uses the same context.
    assert_eq!(unsafe { c_abi_irq(&io, line) }, 0, "c_abi.c line");
    assert_eq!(&eeprom(&model)[0x60..0x62], &[0xde, 0xad]);
    assert!(model.bus_idle());
}

#[test]
fn recovery_frees_a_stuck_target_and_gives_up_on_one_that_never_lets_go() {
    let mut model = board();
    // A target left mid-byte holds SDA for 5 more clocks: one round of 9 frees it.
    model.inject(Fault::SdaStuck(5));
    let regs = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_recover(&regs) }, 0);
    assert!(model.bus_idle());
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_write_errno(&regs) }, 0);
    assert_eq!(eeprom(&model)[0x40], 0x5a);

    let mut model = board();
    model.inject(Fault::SdaStuck(u32::MAX));
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_recover(&io) }, -16);
    assert!(!model.bus_idle());
}

#[test]
fn recovery_of_an_idle_bus_touches_nothing() {
    let mut model = board();
    let io = io(&mut model);
    // SAFETY: As above.
    assert_eq!(unsafe { c_abi_recover(&io) }, 0);
    let writes_after_init = model.writes();
    // Init wrote CTR, PRER and CR; recovery only read SR.
    assert_eq!(writes_after_init, 5);
}
