// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The segment model: every shape a transaction of segments can take, asserted on the
//! model's bus log, the data read back, the exact error and the bus idle afterwards, by
//! polling, from an interrupt handler and async.

mod common;

use std::cell::Cell;
use std::task::Poll;

use common::sim::{run, sim_with, Delay};
use common::*;
use sifive_i2c::{
    Address, AsyncI2c, Buffer, Bytes, Error, I2c, IrqSignal, Segment, SegmentTransfer, Segments,
};
use sifive_i2c_hal::model::{Eeprom24c02, Event, Fault, Model};
use sifive_i2c_hal::regs::Cr;
use sifive_i2c_hal::Regs;

const A: Address = Address::SevenBit(EEPROM);
const T: Address = Address::SevenBit(TMP105);

fn nack(byte: u8) -> Event {
    Event::Write { byte, ack: false }
}

fn addr_byte(byte: u8, ack: bool) -> Event {
    Event::Address { byte, ack }
}

/// Runs `segs` by polling; returns the result and the bus log, and checks the bus is idle.
fn transfer(
    i2c: &mut I2c<Model>,
    segs: &mut [Segment<Bytes<'_>>],
) -> (Result<(), Error>, Vec<Event>) {
    let r = i2c.transfer(segs);
    assert_clean_end(i2c.regs_mut());
    (r, i2c.regs_mut().take_events())
}

/// Fills the EEPROM from address 0 and clears the log.
fn eeprom_with(i2c: &mut I2c<Model>, bytes: &[u8]) {
    i2c.regs_mut()
        .target_mut::<Eeprom24c02>(EEPROM)
        .unwrap()
        .memory_mut()[..bytes.len()]
        .copy_from_slice(bytes);
    clear(i2c);
}

/// A refused transaction writes no register.
fn assert_refused(i2c: &mut I2c<Model>, segs: &mut [Segment<Bytes<'_>>], error: Error) {
    clear(i2c);
    assert_eq!(i2c.transfer(segs), Err(error));
    assert_eq!(i2c.regs().writes(), 0, "a register was written");
    assert_eq!(i2c.regs().events(), &[]);
}

#[test]
fn two_writes_each_get_a_repeated_start_and_the_address() {
    let mut i2c = driver();
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::write(A, &[0x10, 1]), Segment::write(A, &[0x18, 2])],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x10),
            w(1),
            Event::RepeatedStart,
            addr(EEPROM, false),
            w(0x18),
            w(2),
            Event::Stop,
        ]
    );
    assert_eq!((eeprom(&i2c)[0x10], eeprom(&i2c)[0x18]), (1, 2));
}

#[test]
fn a_write_to_one_target_then_a_read_from_another() {
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[0x11, 0x22]);
    i2c.regs_mut().take_events();
    let mut temp = [0; 2];
    let mut data = [0; 2];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(T, &[0]),
            Segment::read(T, &mut temp),
            Segment::write(A, &[0]),
            Segment::read(A, &mut data),
        ],
    );
    res.unwrap();
    assert_eq!(temp, TEMPERATURE.to_be_bytes());
    assert_eq!(data, [0x11, 0x22]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(TMP105, false),
            w(0),
            Event::RepeatedStart,
            addr(TMP105, true),
            r(temp[0], true),
            r(temp[1], false),
            Event::RepeatedStart,
            addr(EEPROM, false),
            w(0),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(0x11, true),
            r(0x22, false),
            Event::Stop,
        ]
    );
}

#[test]
fn segments_without_start_continue_the_one_before() {
    let mut i2c = driver();
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x20]),
            Segment::write(A, &[]).no_start(),
            Segment::write(A, &[5, 6]).no_start(),
        ],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x20),
            w(5),
            w(6),
            Event::Stop
        ]
    );
    assert_eq!(&eeprom(&i2c)[0x20..0x22], &[5, 6]);

    // Reads: only the last byte of the run is NACKed.
    let mut a = [0; 1];
    let mut b = [0; 2];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x20]),
            Segment::read(A, &mut a),
            Segment::read(Address::SevenBit(0x7f), &mut b).no_start(),
        ],
    );
    res.unwrap();
    assert_eq!((a, b), ([5], [6, 0xff]));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x20),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(5, true),
            r(6, true),
            r(0xff, false),
            Event::Stop,
        ]
    );
}

#[test]
fn malformed_segment_lists_are_refused_before_any_register_access() {
    let mut i2c = driver();
    let mut buf = [0; 2];
    assert_refused(
        &mut i2c,
        &mut [Segment::write(A, &[1]).no_start()],
        Error::InvalidOperation,
    );
    assert_refused(
        &mut i2c,
        &mut [
            Segment::write(A, &[1]),
            Segment::read(A, &mut buf).no_start(),
        ],
        Error::InvalidOperation,
    );
    assert_refused(&mut i2c, &mut [], Error::InvalidOperation);
    // A read into bytes that cannot store.
    assert_refused(
        &mut i2c,
        &mut [Segment::new(A, true, Bytes::Out(&[0; 2]))],
        Error::InvalidOperation,
    );
    assert_refused(
        &mut i2c,
        &mut [Segment::write(Address::SevenBit(0x7c), &[])],
        Error::InvalidAddress,
    );
    assert_refused(
        &mut i2c,
        &mut [Segment::write(Address::SevenBitRaw(0x80), &[])],
        Error::InvalidAddress,
    );
    assert_refused(
        &mut i2c,
        &mut [
            Segment::write(A, &[0]),
            Segment::write(Address::TenBit(0x400), &[]),
        ],
        Error::InvalidAddress,
    );
    assert_refused(
        &mut i2c,
        &mut [Segment::write(Address::TenBit(0x2a5), &[]).reverse_rw()],
        Error::Unsupported,
    );
    let mut small = [0; 32];
    assert_refused(
        &mut i2c,
        &mut [Segment::block_read(A, &mut small)],
        Error::InvalidOperation,
    );
    let mut small = [0; 33];
    assert_refused(
        &mut i2c,
        &mut [Segment::read(A, &mut small).block(1)],
        Error::InvalidOperation,
    );
}

#[test]
fn ignore_nack_goes_on_past_address_and_data_nacks() {
    let mut i2c = driver();
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::write(Address::SevenBit(ABSENT), &[1, 2]).ignore_nack()],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr_byte(ABSENT << 1, false),
            nack(1),
            nack(2),
            Event::Stop
        ]
    );

    // A data NACK mid-write: the next bytes still go out (the last one with STOP).
    i2c.regs_mut().inject(Fault::NackData(1));
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::write(A, &[0x30, 7, 8]).ignore_nack()],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x30),
            nack(7),
            w(8),
            Event::Stop
        ]
    );

    // Reads from nobody: the address NACK is ignored, SDA floats high.
    let mut buf = [0; 2];
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::read(Address::SevenBit(ABSENT), &mut buf).ignore_nack()],
    );
    res.unwrap();
    assert_eq!(buf, [0xff, 0xff]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr_byte(ABSENT << 1 | 1, false),
            r(0xff, true),
            r(0xff, false),
            Event::Stop
        ]
    );

    // Only the segment that asks ignores: the next one's NACK ends the transfer.
    i2c.regs_mut().inject(Fault::NackData(2));
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x30]).ignore_nack(),
            Segment::write(A, &[9, 10]).no_start(),
        ],
    );
    assert_eq!(res, Err(Error::DataNack { op: 1, index: 1 }));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x30),
            w(9),
            nack(10),
            Event::Stop
        ]
    );
}

#[test]
fn nacks_end_the_transfer_with_the_segment_and_byte() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::NackData(2));
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x40]),
            Segment::write(A, &[1, 2, 3]).no_start(),
        ],
    );
    assert_eq!(res, Err(Error::DataNack { op: 1, index: 1 }));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x40),
            w(1),
            nack(2),
            Event::Stop
        ]
    );
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x40]),
            Segment::write(Address::SevenBit(ABSENT), &[1]),
        ],
    );
    assert_eq!(res, Err(Error::AddressNack));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x40),
            Event::RepeatedStart,
            addr_byte(ABSENT << 1, false),
            Event::Stop
        ]
    );
}

#[test]
fn reversed_rw_flips_only_the_address_byte() {
    let mut i2c = driver();
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::write(Address::SevenBit(ABSENT), &[0x5a])
            .reverse_rw()
            .ignore_nack()],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr_byte(ABSENT << 1 | 1, false),
            nack(0x5a),
            Event::Stop
        ]
    );
    let mut buf = [0; 1];
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::read(Address::SevenBit(ABSENT), &mut buf)
            .reverse_rw()
            .ignore_nack()],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr_byte(ABSENT << 1, false),
            r(0xff, false),
            Event::Stop
        ]
    );
}

#[test]
fn reserved_addresses_go_out_when_asked_for_raw() {
    let mut m = model();
    m.attach(0x7c, Eeprom24c02::new());
    let mut i2c = driver_on(m);
    let mut buf = [0; 3];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(Address::SevenBitRaw(0x7c), &[0]),
            Segment::read(Address::SevenBitRaw(0x7c), &mut buf),
        ],
    );
    res.unwrap();
    assert_eq!(buf, [0xff; 3]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr_byte(0xf8, true),
            w(0),
            Event::RepeatedStart,
            addr_byte(0xf9, true),
            r(0xff, true),
            r(0xff, true),
            r(0xff, false),
            Event::Stop
        ]
    );
    // Raw and checked 7-bit addresses send the same byte.
    let (res, log) = transfer(
        &mut i2c,
        &mut [Segment::write(Address::SevenBitRaw(EEPROM), &[])],
    );
    res.unwrap();
    assert_eq!(log, [Event::Start, addr(EEPROM, false), Event::Stop]);
}

#[test]
fn block_read_takes_its_length_from_the_count_byte() {
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[3, 0xa, 0xb, 0xc, 0xd]);
    let mut buf = [0x55; 40];
    let mut segs = [Segment::write(A, &[0]), Segment::block_read(A, &mut buf)];
    let (res, log) = transfer(&mut i2c, &mut segs);
    res.unwrap();
    assert_eq!(segs[1].block_len(), Some(3));
    assert_eq!(segs[0].block_len(), None);
    assert_eq!(&buf[..5], &[3, 0xa, 0xb, 0xc, 0x55]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(3, true),
            r(0xa, true),
            r(0xb, true),
            r(0xc, false),
            Event::Stop
        ]
    );

    // With a trailer (a PEC byte), and the largest count.
    let mut image = [0u8; 40];
    image[0] = 32;
    for (i, b) in image[1..34].iter_mut().enumerate() {
        *b = i as u8 + 1;
    }
    eeprom_with(&mut i2c, &image);
    let mut buf = [0; 34];
    let mut segs = [Segment::write(A, &[0]), Segment::read(A, &mut buf).block(1)];
    let (res, log) = transfer(&mut i2c, &mut segs);
    res.unwrap();
    assert_eq!(segs[1].block_len(), Some(32));
    assert_eq!(buf, image[..34]);
    assert_eq!(log.len(), 5 + 34 + 1);
    assert_eq!(log[log.len() - 2], r(33, false));
}

#[test]
fn block_read_refuses_a_bad_count_after_nack_and_stop() {
    for count in [0u8, 33, 0xff] {
        let mut i2c = driver();
        eeprom_with(&mut i2c, &[count, 0x77]);
        let mut buf = [0; 33];
        let mut segs = [Segment::write(A, &[0]), Segment::block_read(A, &mut buf)];
        let (res, log) = transfer(&mut i2c, &mut segs);
        assert_eq!(res, Err(Error::BlockLength { len: count }));
        assert_eq!(Error::BlockLength { len: count }.errno(), 71, "EPROTO");
        assert_eq!(segs[1].block_len(), None);
        assert_eq!(buf[0], count, "the count byte is stored");
        assert_eq!(
            log,
            [
                Event::Start,
                addr(EEPROM, false),
                w(0),
                Event::RepeatedStart,
                addr(EEPROM, true),
                r(count, true),
                r(0x77, false),
                Event::Stop
            ]
        );
    }
}

#[test]
fn forty_two_segments_with_a_start_each() {
    let mut i2c = driver();
    let data: Vec<[u8; 2]> = (0..42u8).map(|i| [0x80 + i % 8, i]).collect();
    let mut segs: Vec<_> = data.iter().map(|d| Segment::write(A, d)).collect();
    let (res, log) = transfer(&mut i2c, &mut segs);
    res.unwrap();
    let starts = log
        .iter()
        .filter(|e| matches!(e, Event::Start | Event::RepeatedStart))
        .count();
    assert_eq!(starts, 42);
    assert_eq!(log.len(), 42 * 4 + 1);
    // The last write to each word address wins.
    for i in 34..42u8 {
        assert_eq!(eeprom(&i2c)[usize::from(0x80 + i % 8)], i);
    }
}

#[test]
fn ten_bit_segments_turn_around_only_after_a_write_to_the_same_target() {
    let mut m = model();
    m.attach_ten_bit(0x2a5, Eeprom24c02::new());
    m.attach_ten_bit(0x1c3, Eeprom24c02::new());
    let mut i2c = driver_on(m);
    let (a, b) = (Address::TenBit(0x2a5), Address::TenBit(0x1c3));
    transfer(&mut i2c, &mut [Segment::write(a, &[0, 0x61, 0x62])])
        .0
        .unwrap();
    transfer(&mut i2c, &mut [Segment::write(b, &[0, 0x71])])
        .0
        .unwrap();
    let mut x = [0; 2];
    let mut y = [0; 1];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(a, &[0]),
            Segment::read(a, &mut x),
            Segment::write(b, &[0]),
            Segment::write(a, &[1]),
            Segment::read(b, &mut y),
        ],
    );
    res.unwrap();
    assert_eq!((x, y), ([0x61, 0x62], [0x71]));
    let hi = |a: u16, read: bool| addr_byte(0xf0 | ((a >> 7) as u8 & 6) | u8::from(read), true);
    assert_eq!(
        log,
        [
            Event::Start,
            hi(0x2a5, false),
            w(0xa5),
            w(0),
            // Read after a write to the same target: the turn-around alone.
            Event::RepeatedStart,
            hi(0x2a5, true),
            r(0x61, true),
            r(0x62, false),
            Event::RepeatedStart,
            hi(0x1c3, false),
            w(0xc3),
            w(0),
            Event::RepeatedStart,
            hi(0x2a5, false),
            w(0xa5),
            w(1),
            // Read after a write to another target: the full address, then the turn-around.
            Event::RepeatedStart,
            hi(0x1c3, false),
            w(0xc3),
            Event::RepeatedStart,
            hi(0x1c3, true),
            r(0x71, false),
            Event::Stop
        ]
    );
}

#[test]
fn an_empty_read_run_discards_one_byte() {
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[0x42]);
    let mut none = [0; 0];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(A, &[0]),
            Segment::read(A, &mut none),
            Segment::write(A, &[]),
        ],
    );
    res.unwrap();
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(0x42, false),
            Event::RepeatedStart,
            addr(EEPROM, false),
            Event::Stop
        ]
    );
}

/// Drives `t` as a kernel does in interrupt mode: the handler calls `advance_irq` with the
/// SR it read whenever the line is high, the task polls with `advance` while the transfer
/// waits for the bus to go idle. The line is never left high.
fn isr_drive<S: Segments>(
    i2c: &mut I2c<Model>,
    mut t: SegmentTransfer<S>,
) -> (Result<(), Error>, S) {
    for _ in 0..1_000_000 {
        i2c.regs_mut().tick();
        let step = if i2c.regs().irq_line() {
            let sr = i2c.regs_mut().sr();
            i2c.advance_irq(&mut t, sr)
        } else if !t.awaits_interrupt() {
            i2c.advance(&mut t)
        } else {
            continue;
        };
        assert!(!i2c.regs().irq_line(), "interrupt line left high");
        if let Poll::Ready(res) = step {
            return (res, t.into_segments());
        }
    }
    panic!("no completion");
}

#[test]
fn the_interrupt_handler_and_async_run_the_same_shapes() {
    // Polling gives the reference log.
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[2, 0xe1, 0xe2, 0xe3]);
    let mut buf = [0; 33];
    let mut segs = [
        Segment::write(Address::SevenBit(ABSENT), &[1]).ignore_nack(),
        Segment::write(A, &[0]),
        Segment::block_read(A, &mut buf),
    ];
    let (res, reference) = transfer(&mut i2c, &mut segs);
    res.unwrap();
    assert_eq!(segs[2].block_len(), Some(2));

    // The interrupt handler.
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[2, 0xe1, 0xe2, 0xe3]);
    i2c.set_interrupt(true).unwrap();
    let mut buf = [0; 33];
    let mut segs = [
        Segment::write(Address::SevenBit(ABSENT), &[1]).ignore_nack(),
        Segment::write(A, &[0]),
        Segment::block_read(A, &mut buf),
    ];
    let t = i2c.start_segments(&mut segs[..]).unwrap();
    let (res, _) = isr_drive(&mut i2c, t);
    res.unwrap();
    assert_eq!(segs[2].block_len(), Some(2));
    assert_eq!(&buf[..3], &[2, 0xe1, 0xe2]);
    assert_clean_end(i2c.regs_mut());
    assert_eq!(i2c.regs_mut().take_events(), reference);

    // Async, woken by the interrupt.
    let mut m = model();
    m.target_mut::<Eeprom24c02>(EEPROM).unwrap().memory_mut()[..4]
        .copy_from_slice(&[2, 0xe1, 0xe2, 0xe3]);
    let sim = sim_with(m);
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    let mut buf = [0; 33];
    let mut segs = [
        Segment::write(Address::SevenBit(ABSENT), &[1]).ignore_nack(),
        Segment::write(A, &[0]),
        Segment::block_read(A, &mut buf),
    ];
    let (res, _) = run(&sim, &signal, i2c.transfer(&mut segs));
    res.unwrap();
    assert_eq!(segs[2].block_len(), Some(2));
    let mut m = sim.regs.0.borrow_mut();
    assert_clean_end(&mut m);
    assert_eq!(m.take_events(), reference);
}

#[test]
fn the_interrupt_step_acknowledges_if_during_an_idle_wait_without_spending_polls() {
    // The bus reads busy for three times the poll budget: polling would recover it.
    let mut i2c = driver();
    i2c.set_interrupt(true).unwrap();
    i2c.regs_mut().inject(Fault::BusyStuck(3_000));
    let mut segs = [Segment::write(A, &[0x50, 1])];
    let mut t = i2c.start_segments(&mut segs[..]).unwrap();
    assert!(!t.awaits_interrupt());
    for _ in 0..3_000 {
        i2c.regs_mut().inject(Fault::SpuriousIf);
        let sr = i2c.regs_mut().sr();
        assert!(i2c.regs().irq_line(), "a stale IF raises the line");
        assert_eq!(i2c.advance_irq(&mut t, sr), Poll::Pending);
        assert!(!i2c.regs().irq_line(), "the interrupt step drops the line");
    }
    i2c.regs_mut().clear_faults();
    let (res, _) = isr_drive(&mut i2c, t);
    res.unwrap();
    assert_clean_end(i2c.regs_mut());
    // No recovery ran: the log is the write alone.
    assert_eq!(
        i2c.regs_mut().take_events(),
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x50),
            w(1),
            Event::Stop
        ]
    );
}

#[test]
fn wire_time_counts_starts_bytes_and_the_stop() {
    let i2c = driver();
    let (start, byte, stop) = (
        u64::from(i2c.wire_ns(Cr::STA | Cr::WR)),
        u64::from(i2c.wire_ns(Cr::WR)),
        u64::from(i2c.wire_ns(Cr::STO)),
    );
    let mut buf = [0; 4];
    let (mut none, mut empty) = ([0; 0], [0; 0]);
    let mut block = [0; 34];
    let segs = [
        Segment::write(A, &[1, 2]),
        Segment::read(A, &mut buf),
        Segment::read(A, &mut none).no_start(),
        Segment::read(A, &mut empty),
        Segment::read(A, &mut block).block(1),
    ];
    let expected = 4 * start + (2 + 4 + 1 + 34) * byte + stop;
    assert_eq!(i2c.wire_time_ns(&segs[..]), expected);
    // A 10-bit read: the full address and the turn-around, unless it follows a write.
    let ten = Address::TenBit(0x2a5);
    let segs = [Segment::read(ten, &mut buf)];
    assert_eq!(i2c.wire_time_ns(&segs[..]), 2 * start + 5 * byte + stop);
    let segs = [Segment::write(ten, &[0]), Segment::read(ten, &mut buf)];
    assert_eq!(i2c.wire_time_ns(&segs[..]), 2 * start + 6 * byte + stop);
    // After a STOP the 10-bit read needs its full address again; an empty read run before
    // a STOP reads one byte.
    let segs = [
        Segment::write(ten, &[0]).stop_after(),
        Segment::read(ten, &mut buf).stop_after(),
        Segment::read(A, &mut none).stop_after(),
    ];
    assert_eq!(
        i2c.wire_time_ns(&segs[..]),
        4 * start + (2 + 5 + 1) * byte + 3 * stop
    );
}

/// Bytes that a write and a later read may share, as a Linux client's buffers may: the
/// driver reaches them one byte at a time, never through a slice.
struct Shared<'a>(&'a [Cell<u8>]);

impl Buffer for Shared<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, index: usize) -> u8 {
        self.0[index].get()
    }

    fn set(&mut self, index: usize, byte: u8) {
        self.0[index].set(byte);
    }
}

#[test]
fn a_write_and_a_read_may_share_one_buffer() {
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[0, 0, 0, 0x31, 0x32]);
    let mut mem = [3u8, 0];
    let cells = Cell::from_mut(&mut mem[..]).as_slice_of_cells();
    let mut segs = [
        Segment::new(A, false, Shared(&cells[..1])),
        Segment::new(A, true, Shared(cells)),
    ];
    let (res, log) = {
        let res = i2c.transfer(&mut segs);
        (res, i2c.regs_mut().take_events())
    };
    res.unwrap();
    assert_eq!(mem, [0x31, 0x32]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(3),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(0x31, true),
            r(0x32, false),
            Event::Stop
        ]
    );
}

/// Drives `t` to its end by polling.
fn poll<S: Segments>(i2c: &mut I2c<Model>, t: &mut SegmentTransfer<S>) -> Result<(), Error> {
    for _ in 0..1_000_000 {
        if let Poll::Ready(res) = i2c.advance(t) {
            return res;
        }
    }
    panic!("no completion");
}

/// A segment list a transfer owns, as a kernel module keeps one in its instance state.
struct List<'a>(Vec<Segment<Bytes<'a>>>);

impl Segments for List<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn header(&self, seg: usize) -> sifive_i2c::Header {
        self.0[seg].header()
    }

    fn byte(&self, seg: usize, index: usize) -> u8 {
        self.0[seg].buffer().get(index)
    }

    fn store(&mut self, seg: usize, index: usize, byte: u8) {
        self.0.as_mut_slice().store(seg, index, byte);
    }

    fn block_len(&mut self, seg: usize, count: u8) {
        self.0.as_mut_slice().block_len(seg, count);
    }
}

#[test]
fn a_transfer_restarts_in_place_over_its_own_segments() {
    let mut i2c = driver();
    let mut t = SegmentTransfer::idle(List(vec![Segment::write(A, &[0x60, 1])]));
    assert!(t.is_done());
    i2c.restart(&mut t).unwrap();
    // While it runs, its segments cannot change and it cannot start again.
    assert!(t.segments_mut().is_none());
    clear(&mut i2c);
    assert_eq!(i2c.restart(&mut t), Err(Error::InvalidOperation));
    assert_eq!(i2c.regs().writes(), 0);
    poll(&mut i2c, &mut t).unwrap();
    assert_eq!(eeprom(&i2c)[0x60], 1);

    // New segments, same storage.
    let segs = t.segments_mut().unwrap();
    segs.0.clear();
    segs.0.push(Segment::write(A, &[0x61, 2, 3]));
    i2c.restart(&mut t).unwrap();
    poll(&mut i2c, &mut t).unwrap();
    assert_eq!(&eeprom(&i2c)[0x61..0x63], &[2, 3]);
    assert_clean_end(i2c.regs_mut());
    i2c.regs_mut().take_events();

    // Bus recovery in the same storage leaves the segments alone.
    i2c.regs_mut().inject(Fault::SdaStuck(5));
    i2c.restart_recovery(&mut t).unwrap();
    poll(&mut i2c, &mut t).unwrap();
    assert!(i2c.regs().bus_idle());
    assert_eq!(t.segments().count(), 1);

    // A cancelled transfer is finished without a register access.
    i2c.restart(&mut t).unwrap();
    clear(&mut i2c);
    t.cancel();
    assert!(t.is_done());
    assert_eq!(i2c.regs().writes() + i2c.regs().reads(), 0);
}

#[test]
fn stop_after_ends_the_run_and_the_next_begins_with_a_start() {
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[0x71, 0x72]);
    let mut buf = [0; 2];
    let mut none = [0; 0];
    let mut list = [
        Segment::write(A, &[0]).stop_after(),
        Segment::read(A, &mut buf).stop_after(),
        Segment::read(T, &mut none).stop_after(),
        Segment::write(A, &[0x30, 9]),
    ];
    let (res, log) = transfer(&mut i2c, &mut list);
    res.unwrap();
    let reference = log.clone();
    assert_eq!(buf, [0x71, 0x72]);
    assert_eq!(eeprom(&i2c)[0x30], 9);
    let temp = TEMPERATURE.to_be_bytes()[0];
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0),
            Event::Stop,
            Event::Start,
            addr(EEPROM, true),
            r(0x71, true),
            r(0x72, false),
            Event::Stop,
            Event::Start,
            addr(TMP105, true),
            r(temp, false),
            Event::Stop,
            Event::Start,
            addr(EEPROM, false),
            w(0x30),
            w(9),
            Event::Stop,
        ]
    );

    // The same from an interrupt handler.
    let mut i2c = driver();
    eeprom_with(&mut i2c, &[0x71, 0x72]);
    i2c.set_interrupt(true).unwrap();
    let mut buf = [0; 2];
    let mut none = [0; 0];
    let mut list = [
        Segment::write(A, &[0]).stop_after(),
        Segment::read(A, &mut buf).stop_after(),
        Segment::read(T, &mut none).stop_after(),
        Segment::write(A, &[0x30, 9]),
    ];
    let t = i2c.start_segments(&mut list[..]).unwrap();
    isr_drive(&mut i2c, t).0.unwrap();
    assert_eq!(buf, [0x71, 0x72]);
    assert_clean_end(i2c.regs_mut());
    assert_eq!(i2c.regs_mut().take_events(), reference);

    // An error in a run ends the transfer at its STOP: no later run starts.
    let mut i2c = driver();
    let before = eeprom(&i2c)[0x31];
    let (res, log) = transfer(
        &mut i2c,
        &mut [
            Segment::write(Address::SevenBit(ABSENT), &[1]).stop_after(),
            Segment::write(A, &[0x31, 1]),
        ],
    );
    assert_eq!(res, Err(Error::AddressNack));
    assert_eq!(
        log,
        [Event::Start, addr_byte(ABSENT << 1, false), Event::Stop]
    );
    assert_eq!(eeprom(&i2c)[0x31], before);

    // Nothing continues a segment across a STOP.
    assert_refused(
        &mut i2c,
        &mut [
            Segment::write(A, &[0x31]).stop_after(),
            Segment::write(A, &[1]).no_start(),
        ],
        Error::InvalidOperation,
    );
}
