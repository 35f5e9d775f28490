// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Host test of the module's C ABI: `c_abi.c`, compiled by the `cc` crate, calls the Rust
//! core through `sifive_i2c.h` as the glue does, with register callbacks connected to the host
//! model. ABI mistakes (layouts, flags, return codes) show here before a kernel boots.

use core::ffi::{c_int, c_void};

use sifive_i2c_hal::model::{Eeprom24c02, Event, Fault, Model};
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::Regs;
use sifive_i2c_kmod::bindings::{
    sifive_i2c_cfg, sifive_i2c_io, sifive_i2c_msg, sifive_i2c_rs, sifive_i2c_xfer,
    SIFIVE_I2C_MAX_MSGS, SIFIVE_I2C_M_IGNORE_NAK, SIFIVE_I2C_M_NOSTART, SIFIVE_I2C_M_NO_RD_ACK,
    SIFIVE_I2C_M_RD, SIFIVE_I2C_M_RECV_LEN, SIFIVE_I2C_M_REV_DIR_ADDR, SIFIVE_I2C_M_STOP,
    SIFIVE_I2C_M_TEN,
};
use sifive_i2c_kmod::{
    sifive_i2c_rs_advance, sifive_i2c_rs_byte_us, sifive_i2c_rs_disable, sifive_i2c_rs_init,
    sifive_i2c_rs_irq, sifive_i2c_rs_recover, sifive_i2c_rs_resume, sifive_i2c_rs_start,
    sifive_i2c_rs_timeout,
};

extern "C" {
    fn c_abi_eeprom(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_errors(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_write_errno(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_recover(io: *const sifive_i2c_io) -> c_int;
    fn c_abi_irq(io: *const sifive_i2c_io, line: LineFn) -> c_int;
    fn c_abi_xfer(
        io: *const sifive_i2c_io,
        msgs: *mut sifive_i2c_msg,
        num: u32,
        wire_us: *mut u32,
    ) -> c_int;
    fn c_abi_xfer_irq(
        io: *const sifive_i2c_io,
        line: LineFn,
        msgs: *mut sifive_i2c_msg,
        num: u32,
    ) -> c_int;
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
    // The refused shapes put nothing on the bus: the log holds the two accepted transfers
    // only (an absent target, a probe).
    let starts = model
        .events()
        .iter()
        .filter(|e| **e == Event::Start)
        .count();
    assert_eq!(starts, 2);
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

/// A message over `buf` (a raw pointer: no reference to the bytes is kept).
fn msg(addr: u16, flags: u32, buf: &mut [u8]) -> sifive_i2c_msg {
    sifive_i2c_msg {
        addr,
        flags: flags as u16,
        len: buf.len() as u16,
        buf: buf.as_mut_ptr(),
    }
}

/// Runs `msgs` through the C ABI by polling; returns the result and the wire time.
fn xfer(model: &mut Model, msgs: &mut [sifive_i2c_msg]) -> (c_int, u32) {
    let io = io(model);
    let mut wire_us = 0;
    // SAFETY: `io` points to the live model; `msgs` and their buffers outlive the call.
    let r = unsafe { c_abi_xfer(&io, msgs.as_mut_ptr(), msgs.len() as u32, &mut wire_us) };
    (r, wire_us)
}

/// Runs `msgs` through the C ABI on the interrupt; returns the result.
fn xfer_irq(model: &mut Model, msgs: &mut [sifive_i2c_msg]) -> c_int {
    let io = io(model);
    // SAFETY: As in `xfer`; `line` uses the same context.
    unsafe { c_abi_xfer_irq(&io, line, msgs.as_mut_ptr(), msgs.len() as u32) }
}

fn w(byte: u8) -> Event {
    Event::Write { byte, ack: true }
}

fn r(byte: u8, ack: bool) -> Event {
    Event::Read { byte, ack }
}

fn a(byte: u8, ack: bool) -> Event {
    Event::Address { byte, ack }
}

/// The EEPROM at 0x50 and a second one at 0x51 holding `image` from address 0.
fn two_eeproms(image: &[u8]) -> Model {
    let mut model = board();
    let mut second = Eeprom24c02::new();
    second.memory_mut()[..image.len()].copy_from_slice(image);
    model.attach(0x51, second);
    model
}

/// The result, bus log, buffers, wire time and message lengths of a transfer.
type Outcome = (
    c_int,
    std::vec::Vec<Event>,
    [[u8; 34]; 4],
    u32,
    std::vec::Vec<u16>,
);

/// Runs `build`'s messages by polling and on the interrupt, on fresh boards from `board`;
/// asserts that both give the same result, bus log and bytes read, and the bus idle.
fn both_paths(
    board: impl Fn() -> Model,
    build: impl Fn(&mut [[u8; 34]; 4]) -> std::vec::Vec<sifive_i2c_msg>,
) -> Outcome {
    let mut polled = board();
    let mut bufs = [[0u8; 34]; 4];
    let mut msgs = build(&mut bufs);
    let (ret, wire_us) = xfer(&mut polled, &mut msgs);
    let lens: std::vec::Vec<u16> = msgs.iter().map(|m| m.len).collect();
    let polled_bufs = bufs;
    assert!(polled.bus_idle());

    let mut irq = board();
    let mut bufs = [[0u8; 34]; 4];
    let mut msgs = build(&mut bufs);
    assert_eq!(xfer_irq(&mut irq, &mut msgs), ret, "irq path result");
    assert!(irq.bus_idle());
    assert_eq!(irq.events(), polled.events(), "irq path bus log");
    assert_eq!(bufs, polled_bufs, "irq path data");
    assert_eq!(
        msgs.iter().map(|m| m.len).collect::<std::vec::Vec<_>>(),
        lens
    );
    (ret, polled.events().to_vec(), polled_bufs, wire_us, lens)
}

#[test]
fn same_direction_and_other_addresses_get_a_repeated_start_each() {
    let (ret, log, bufs, _, _) = both_paths(
        || two_eeproms(&[0x61, 0x62]),
        |b| {
            b[0][..2].copy_from_slice(&[0x10, 1]);
            b[1][..2].copy_from_slice(&[0x18, 2]);
            let (x, rest) = b.split_at_mut(1);
            let (y, rest) = rest.split_at_mut(1);
            let (z, rest) = rest.split_at_mut(1);
            std::vec![
                msg(0x50, 0, &mut x[0][..2]),
                msg(0x50, 0, &mut y[0][..2]),
                msg(0x51, 0, &mut z[0][..1]),
                msg(0x51, SIFIVE_I2C_M_RD, &mut rest[0][..2]),
            ]
        },
    );
    assert_eq!(ret, 0);
    assert_eq!(&bufs[3][..2], &[0x61, 0x62]);
    assert_eq!(
        log,
        [
            Event::Start,
            a(0xa0, true),
            w(0x10),
            w(1),
            Event::RepeatedStart,
            a(0xa0, true),
            w(0x18),
            w(2),
            Event::RepeatedStart,
            a(0xa2, true),
            w(0),
            Event::RepeatedStart,
            a(0xa3, true),
            r(0x61, true),
            r(0x62, false),
            Event::Stop,
        ]
    );
}

#[test]
fn nostart_continues_the_message_before() {
    let (ret, log, _, _, _) = both_paths(
        || two_eeproms(&[7, 8, 9]),
        |b| {
            let (x, rest) = b.split_at_mut(1);
            let (y, rest) = rest.split_at_mut(1);
            std::vec![
                msg(0x51, 0, &mut x[0][..1]),
                msg(0x51, SIFIVE_I2C_M_RD, &mut y[0][..1]),
                msg(
                    0x51,
                    SIFIVE_I2C_M_RD | SIFIVE_I2C_M_NOSTART,
                    &mut rest[0][..2]
                ),
            ]
        },
    );
    assert_eq!(ret, 0);
    assert_eq!(
        log,
        [
            Event::Start,
            a(0xa2, true),
            w(0),
            Event::RepeatedStart,
            a(0xa3, true),
            r(7, true),
            r(8, true),
            r(9, false),
            Event::Stop,
        ]
    );
}

#[test]
fn i2c_m_stop_sends_stop_then_start() {
    let (ret, log, bufs, wire_us, _) = both_paths(
        || two_eeproms(&[0x61, 0x62]),
        |b| {
            let (x, rest) = b.split_at_mut(1);
            std::vec![
                msg(0x51, SIFIVE_I2C_M_STOP, &mut x[0][..1]),
                msg(0x51, SIFIVE_I2C_M_RD | SIFIVE_I2C_M_STOP, &mut rest[0][..2]),
            ]
        },
    );
    assert_eq!(ret, 0);
    assert_eq!(&bufs[1][..2], &[0x61, 0x62]);
    assert_eq!(
        log,
        [
            Event::Start,
            a(0xa2, true),
            w(0),
            Event::Stop,
            Event::Start,
            a(0xa3, true),
            r(0x61, true),
            r(0x62, false),
            Event::Stop,
        ]
    );
    // Two STARTs with their address (51 periods each), three bytes (45 each), two STOPs
    // (5 each): 247 periods of 0.5 us, 123.5 us rounded up.
    assert_eq!(wire_us, 124);
}

#[test]
fn forty_two_messages() {
    let mut model = board();
    let mut bufs: std::vec::Vec<[u8; 2]> = (0..42u8).map(|i| [0x80 + i, i ^ 0x5a]).collect();
    let mut msgs: std::vec::Vec<_> = bufs.iter_mut().map(|b| msg(0x50, 0, b)).collect();
    assert_eq!(xfer(&mut model, &mut msgs).0, 0);
    let starts = model
        .events()
        .iter()
        .filter(|e| matches!(e, Event::Start | Event::RepeatedStart))
        .count();
    assert_eq!(starts, 42);
    for i in 0..42u8 {
        assert_eq!(eeprom(&model)[usize::from(0x80 + i)], i ^ 0x5a);
    }
}

#[test]
fn ignore_nak_and_reversed_rw() {
    let (ret, log, bufs, _, _) = both_paths(board, |b| {
        b[0][0] = 0x33;
        let (x, rest) = b.split_at_mut(1);
        std::vec![
            msg(0x21, SIFIVE_I2C_M_IGNORE_NAK, &mut x[0][..1]),
            msg(
                0x21,
                SIFIVE_I2C_M_RD | SIFIVE_I2C_M_IGNORE_NAK | SIFIVE_I2C_M_REV_DIR_ADDR,
                &mut rest[0][..1],
            ),
        ]
    });
    assert_eq!(ret, 0);
    assert_eq!(bufs[1][0], 0xff);
    assert_eq!(
        log,
        [
            Event::Start,
            a(0x42, false),
            Event::Write {
                byte: 0x33,
                ack: false
            },
            Event::RepeatedStart,
            a(0x42, false),
            r(0xff, false),
            Event::Stop,
        ]
    );
    // Without IGNORE_NAK the same address NACK ends the transfer.
    let mut model = board();
    let mut b = [0u8; 1];
    assert_eq!(xfer(&mut model, &mut [msg(0x21, 0, &mut b)]).0, -6);
}

#[test]
fn a_reserved_address_such_as_device_id_goes_out() {
    let board = || {
        let mut model = board();
        model.attach(0x7c, Eeprom24c02::new());
        model
    };
    let (ret, log, _, _, _) = both_paths(board, |b| {
        let (x, rest) = b.split_at_mut(1);
        std::vec![
            msg(0x7c, 0, &mut x[0][..1]),
            msg(0x7c, SIFIVE_I2C_M_RD, &mut rest[0][..3]),
        ]
    });
    assert_eq!(ret, 0);
    assert_eq!(log[1], a(0xf8, true));
    assert_eq!(log[4], a(0xf9, true));
}

#[test]
fn ten_bit_write_then_read_turns_around() {
    let board = || {
        let mut model = board();
        let mut e = Eeprom24c02::new();
        e.memory_mut()[..2].copy_from_slice(&[0x44, 0x45]);
        model.attach_ten_bit(0x2a5, e);
        model
    };
    let (ret, log, bufs, _, _) = both_paths(board, |b| {
        let (x, rest) = b.split_at_mut(1);
        std::vec![
            msg(0x2a5, SIFIVE_I2C_M_TEN, &mut x[0][..1]),
            msg(0x2a5, SIFIVE_I2C_M_TEN | SIFIVE_I2C_M_RD, &mut rest[0][..2]),
        ]
    });
    assert_eq!(ret, 0);
    assert_eq!(&bufs[1][..2], &[0x44, 0x45]);
    assert_eq!(
        log,
        [
            Event::Start,
            a(0xf4, true),
            w(0xa5),
            w(0),
            Event::RepeatedStart,
            a(0xf5, true),
            r(0x44, true),
            r(0x45, false),
            Event::Stop,
        ]
    );
}

#[test]
fn recv_len_reads_the_count_then_that_many_and_adds_it_to_len() {
    let image = [3, 0xa, 0xb, 0xc, 0xd, 0xe];
    let (ret, log, bufs, wire_us, lens) = both_paths(
        || two_eeproms(&image),
        |b| {
            let (x, rest) = b.split_at_mut(1);
            let (y, rest) = rest.split_at_mut(1);
            let mut m = std::vec![
                msg(0x51, 0, &mut x[0][..1]),
                msg(0x51, SIFIVE_I2C_M_RD | SIFIVE_I2C_M_RECV_LEN, &mut y[0][..]),
                // A second block read, with the PEC byte the client asks for after it.
                msg(0x51, 0, &mut rest[0][..1]),
                msg(
                    0x51,
                    SIFIVE_I2C_M_RD | SIFIVE_I2C_M_RECV_LEN,
                    &mut rest[1][..]
                ),
            ];
            // The kernel's convention: len is the bytes before the block (1: the count, 2:
            // the count and a PEC byte after the block), the buffer has room for 32 more.
            m[1].len = 1;
            m[3].len = 2;
            m
        },
    );
    assert_eq!(ret, 0);
    assert_eq!(&bufs[1][..5], &[3, 0xa, 0xb, 0xc, 0]);
    assert_eq!(&bufs[3][..6], &[3, 0xa, 0xb, 0xc, 0xd, 0]);
    assert_eq!(
        log[..10],
        [
            Event::Start,
            a(0xa2, true),
            w(0),
            Event::RepeatedStart,
            a(0xa3, true),
            r(3, true),
            r(0xa, true),
            r(0xb, true),
            r(0xc, false),
            Event::RepeatedStart,
        ]
    );
    assert_eq!(
        log[log.len() - 3..],
        [r(0xc, true), r(0xd, false), Event::Stop]
    );
    // At 400 kHz from 500 MHz a prescaler period is 0.5 us: two STARTs with their address
    // (51 periods each), the word address and the block at its largest (34 bytes of 45
    // periods), again with a PEC byte (35 bytes), and the STOP (5): 3314 periods.
    assert_eq!(wire_us, (4 * 51 + (1 + 33 + 1 + 34) * 45 + 5) / 2);
    assert_eq!(
        lens,
        [1, 4, 1, 5],
        "the count is added to each block read's len"
    );
}

#[test]
fn recv_len_with_a_bad_count_is_eproto_after_nack_and_stop() {
    for count in [0u8, 33] {
        let (ret, log, bufs, _, _) = both_paths(
            || two_eeproms(&[count, 0x99]),
            |b| {
                let (x, rest) = b.split_at_mut(1);
                let mut m = std::vec![
                    msg(0x51, 0, &mut x[0][..1]),
                    msg(
                        0x51,
                        SIFIVE_I2C_M_RD | SIFIVE_I2C_M_RECV_LEN,
                        &mut rest[0][..]
                    ),
                ];
                m[1].len = 1;
                m
            },
        );
        assert_eq!(ret, -71, "EPROTO");
        assert_eq!(bufs[1][0], count);
        assert_eq!(
            log[log.len() - 3..],
            [r(count, true), r(0x99, false), Event::Stop]
        );
    }
}

#[test]
fn a_write_and_a_read_may_share_one_buffer() {
    let mut model = two_eeproms(&[0, 0, 0x21, 0x22]);
    let mut buf = [2u8, 0];
    let p = buf.as_mut_ptr();
    let mut msgs = [
        sifive_i2c_msg {
            addr: 0x51,
            flags: 0,
            len: 1,
            buf: p,
        },
        sifive_i2c_msg {
            addr: 0x51,
            flags: SIFIVE_I2C_M_RD as u16,
            len: 2,
            buf: p,
        },
    ];
    assert_eq!(xfer(&mut model, &mut msgs).0, 0);
    assert_eq!(buf, [0x21, 0x22]);
}

#[test]
fn wire_time_of_a_write() {
    let mut model = board();
    let mut b = [0x40u8, 0x41];
    let (ret, wire_us) = xfer(&mut model, &mut [msg(0x50, 0, &mut b)]);
    assert_eq!(ret, 0);
    // START and address (51 periods), two bytes (90), STOP (5), at 0.5 us per period.
    assert_eq!(wire_us, 73);
}

/// The child side of [`panic_mask_makes_the_selected_entry_panic`]: with
/// `SIFIVE_I2C_PANIC_ENTRY=N` set, initialises an instance with only bit N of the panic mask
/// set, then calls entry N once. Does nothing otherwise.
#[test]
fn panic_child() {
    let Ok(entry) = std::env::var("SIFIVE_I2C_PANIC_ENTRY") else {
        return;
    };
    let entry: u32 = entry.parse().expect("entry number");
    let mut model = board();
    let cfg = sifive_i2c_cfg {
        io: io(&mut model),
        clock_hz: 500_000_000,
        bus_hz: 400_000,
        fu540_erratum: 0,
        use_irq: 0,
        panic_mask: 1 << entry,
    };
    // SAFETY: A zeroed `sifive_i2c_rs` is plain storage (integers only).
    let mut rs: sifive_i2c_rs = unsafe { core::mem::zeroed() };
    let mut b = [0x40u8, 0x41];
    let mut m = msg(0x50, 0, &mut b);
    let mut x = sifive_i2c_xfer {
        msgs: &mut m,
        num: 1,
        wire_us: 0,
    };
    let mut us = 0u32;
    let cfg_arg = (&cfg as *const sifive_i2c_cfg).cast_mut().cast::<c_void>();
    // SAFETY: `rs` is this instance's storage, `cfg` valid with callbacks on the live model;
    // every later call follows init on the same instance, with the arguments each entry
    // documents, and nothing else uses it.
    unsafe {
        assert_eq!(sifive_i2c_rs_init(&mut rs, cfg_arg), 0);
        let null = core::ptr::null_mut();
        let r = match entry {
            0 => 0,
            1 => sifive_i2c_rs_resume(&mut rs, null),
            2 => sifive_i2c_rs_disable(&mut rs, null),
            3 => sifive_i2c_rs_start(&mut rs, (&mut x as *mut sifive_i2c_xfer).cast()),
            4 => sifive_i2c_rs_recover(&mut rs, null),
            5 => sifive_i2c_rs_advance(&mut rs, null),
            6 => sifive_i2c_rs_irq(&mut rs, null),
            7 => sifive_i2c_rs_timeout(&mut rs, null),
            8 => sifive_i2c_rs_byte_us(&mut rs, (&mut us as *mut u32).cast()),
            _ => panic!("no entry {entry}"),
        };
        std::println!("entry {entry} returned {r}");
    }
}

/// The landing pad's test switch: with the `panic-test` feature, bit N of the panic mask
/// makes entry N (of `enum sifive_i2c_entry`) panic on each call, and no other; without the
/// feature the mask is ignored.
#[test]
fn panic_mask_makes_the_selected_entry_panic() {
    let exe = std::env::current_exe().expect("test binary");
    for entry in 0..=8u32 {
        let out = std::process::Command::new(&exe)
            .args(["--exact", "panic_child", "--nocapture", "--test-threads=1"])
            .env("SIFIVE_I2C_PANIC_ENTRY", entry.to_string())
            .output()
            .expect("run the child");
        let stderr = std::string::String::from_utf8_lossy(&out.stderr);
        let stdout = std::string::String::from_utf8_lossy(&out.stdout);
        if cfg!(feature = "panic-test") {
            assert!(!out.status.success(), "entry {entry} did not panic");
            assert!(
                stderr.contains("sifive_i2c: panic test"),
                "entry {entry}: {stderr}"
            );
            assert!(!stdout.contains("returned"), "entry {entry} returned");
        } else {
            assert!(out.status.success(), "entry {entry}: {stderr}");
            assert!(stdout.contains(&std::format!("entry {entry} returned")));
        }
    }
}

/// Messages as (address, flags, length).
type Shape<'a> = &'a [(u16, u32, usize)];

#[test]
fn every_refusal_comes_before_any_register_write() {
    const EINVAL: c_int = -22;
    const EOPNOTSUPP: c_int = -95;
    const RD: u32 = SIFIVE_I2C_M_RD;
    let cases: [(Shape<'_>, c_int); 10] = [
        (&[(0x50, RD | SIFIVE_I2C_M_NO_RD_ACK, 1)], EOPNOTSUPP),
        (&[(0x50, 0x0002, 1)], EOPNOTSUPP),
        (
            &[(0x50, 0, 1), (0x50, RD | SIFIVE_I2C_M_NOSTART, 1)],
            EOPNOTSUPP,
        ),
        (
            &[
                (0x50, SIFIVE_I2C_M_STOP, 1),
                (0x50, SIFIVE_I2C_M_NOSTART, 1),
            ],
            EINVAL,
        ),
        (
            &[(0x2a5, SIFIVE_I2C_M_TEN | SIFIVE_I2C_M_REV_DIR_ADDR, 1)],
            EOPNOTSUPP,
        ),
        (&[(0x50, SIFIVE_I2C_M_RECV_LEN, 1)], EINVAL),
        (&[(0x50, RD | SIFIVE_I2C_M_RECV_LEN, 0)], EINVAL),
        (&[(0x80, 0, 1)], EINVAL),
        (&[(0x400, SIFIVE_I2C_M_TEN, 1)], EINVAL),
        (
            &[(0x50, 0, 1); SIFIVE_I2C_MAX_MSGS as usize + 1],
            EOPNOTSUPP,
        ),
    ];
    for (shape, errno) in cases {
        let mut model = board();
        let mut bufs = std::vec![[0u8; 40]; shape.len()];
        let mut msgs: std::vec::Vec<_> = shape
            .iter()
            .zip(bufs.iter_mut())
            .map(|(&(addr, flags, len), b)| msg(addr, flags, &mut b[..len]))
            .collect();
        assert_eq!(xfer(&mut model, &mut msgs).0, errno, "{shape:x?}");
        // Init writes CTR, PRERlo, PRERhi, CTR and CR; the refused transfer nothing.
        assert_eq!(model.writes(), 5, "{shape:x?}");
        assert_eq!(model.events(), &[], "{shape:x?}");
    }
}
