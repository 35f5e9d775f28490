// SPDX-License-Identifier: GPL-2.0 OR MIT

//! EEPROM page writes and reads, and random transactions checked against a reference
//! memory (property tests).

mod common;

use common::*;
use embedded_hal::i2c::Operation;
use proptest::prelude::*;
use sifive_i2c::Address;
use sifive_i2c_hal::model::Event;

#[test]
fn page_write_and_read_back() {
    let mut i2c = driver();
    let page: Vec<u8> = (0x40..0x48).collect();
    let mut cmd = vec![0x18];
    cmd.extend(&page);
    i2c.write(EEPROM, &cmd).unwrap();
    let mut buf = [0; 8];
    i2c.write_read(EEPROM, &[0x18], &mut buf).unwrap();
    assert_eq!(&buf[..], &page[..]);
    assert_eq!(&eeprom(&i2c)[0x18..0x20], &page[..]);
    assert_eq!(eeprom(&i2c)[0x20], 0xff, "next page untouched");
}

#[test]
fn page_write_wraps_within_the_page() {
    let mut i2c = driver();
    // Six bytes from 0x1d: 0x1d, 0x1e, 0x1f, then wrap to 0x18, 0x19, 0x1a.
    i2c.write(EEPROM, &[0x1d, 1, 2, 3, 4, 5, 6]).unwrap();
    let mem = eeprom(&i2c);
    assert_eq!(&mem[0x18..0x20], &[4, 5, 6, 0xff, 0xff, 1, 2, 3]);
    assert_eq!(mem[0x20], 0xff);
    // A sequential read crosses the page boundary (reads do not wrap at pages).
    let mut buf = [0; 4];
    i2c.write_read(EEPROM, &[0x1e], &mut buf).unwrap();
    assert_eq!(buf, [2, 3, 0xff, 0xff]);
}

#[test]
fn sequential_read_of_the_whole_array() {
    let mut i2c = driver();
    for page in 0..32u8 {
        let mut cmd = vec![page * 8];
        cmd.extend((0..8).map(|i| page.wrapping_mul(8).wrapping_add(i) ^ 0xa5));
        i2c.write(EEPROM, &cmd).unwrap();
    }
    let mut buf = [0; 256];
    i2c.write_read(EEPROM, &[0], &mut buf).unwrap();
    for (i, b) in buf.iter().enumerate() {
        assert_eq!(*b, (i as u8) ^ 0xa5, "byte {i}");
    }
    assert_clean_end(i2c.regs_mut());
}

/// Reference 24C02: what the bytes should be, computed independently of the model.
struct Reference {
    mem: [u8; 256],
    pointer: u8,
}

impl Reference {
    fn write_segment(&mut self, bytes: &[u8]) {
        if let Some((&word, data)) = bytes.split_first() {
            self.pointer = word;
            for &b in data {
                self.mem[usize::from(self.pointer)] = b;
                self.pointer = (self.pointer & 0xf8) | (self.pointer.wrapping_add(1) & 7);
            }
        }
    }

    fn read_segment(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                let b = self.mem[usize::from(self.pointer)];
                self.pointer = self.pointer.wrapping_add(1);
                b
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
enum Op {
    Write(Vec<u8>),
    Read(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(Op::Write),
        (0usize..12).prop_map(Op::Read),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_transactions_match_the_reference(
        transactions in proptest::collection::vec(proptest::collection::vec(op(), 1..6), 1..6)
    ) {
        let mut i2c = driver();
        let mut reference = Reference { mem: [0xff; 256], pointer: 0 };
        for ops in transactions {
            let mut bufs: Vec<Vec<u8>> = ops
                .iter()
                .map(|o| match o { Op::Read(n) => vec![0; *n], Op::Write(_) => vec![] })
                .collect();
            let mut hal_ops: Vec<Operation<'_>> = ops
                .iter()
                .zip(bufs.iter_mut())
                .map(|(o, buf)| match o {
                    Op::Write(data) => Operation::Write(data),
                    Op::Read(_) => Operation::Read(buf),
                })
                .collect();
            i2c.transaction(Address::SevenBit(EEPROM), &mut hal_ops).unwrap();
            drop(hal_ops);

            // Expected data and bus shape, segment by segment.
            let mut expected = Vec::new();
            let mut segments = 0;
            let mut i = 0;
            while i < ops.len() {
                let read = matches!(ops[i], Op::Read(_));
                let mut j = i;
                while j < ops.len() && matches!(ops[j], Op::Read(_)) == read {
                    j += 1;
                }
                segments += 1;
                if read {
                    let total: usize = ops[i..j]
                        .iter()
                        .map(|o| match o {
                            Op::Read(n) => *n,
                            Op::Write(_) => 0,
                        })
                        .sum();
                    // A segment with no bytes reads one and discards it.
                    let mut data = reference.read_segment(total.max(1)).into_iter();
                    for (k, o) in ops.iter().enumerate().take(j).skip(i) {
                        if let Op::Read(n) = o {
                            expected.push((k, data.by_ref().take(*n).collect::<Vec<u8>>()));
                        }
                    }
                } else {
                    let bytes: Vec<u8> = ops[i..j]
                        .iter()
                        .flat_map(|o| match o { Op::Write(d) => d.clone(), _ => vec![] })
                        .collect();
                    reference.write_segment(&bytes);
                }
                i = j;
            }
            for (k, data) in expected {
                prop_assert_eq!(&bufs[k], &data, "operation {}", k);
            }

            let m = i2c.regs_mut();
            let log = m.take_events();
            prop_assert_eq!(log.first(), Some(&Event::Start));
            prop_assert_eq!(log.last(), Some(&Event::Stop));
            prop_assert_eq!(log.iter().filter(|e| **e == Event::Stop).count(), 1);
            let repeated = log.iter().filter(|e| **e == Event::RepeatedStart).count();
            prop_assert_eq!(repeated, segments - 1);
            // Each read byte is ACKed unless the next event ends the segment.
            for pair in log.windows(2) {
                if let Event::Read { ack, .. } = pair[0] {
                    let ends = matches!(pair[1], Event::RepeatedStart | Event::Stop);
                    prop_assert_eq!(ack, !ends, "log {:?}", log);
                }
            }
            prop_assert!(m.bus_idle());
            prop_assert_eq!(m.guest_errors(), &[]);
        }
        prop_assert_eq!(&eeprom(&i2c)[..], &reference.mem[..]);
    }
}
