// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The host model's side of the differential test against the RTL (`scripts/rtl-diff`).
//!
//! Reads register programs from standard input, in the co-simulation bench's format
//! (`qemu/rtl/tb.v`) with the phase the RTL was in when each op began put in front of it
//! (`I W 4 90`) and, optionally, the target's memory after `P` (`P HEX`). Runs them on
//! [`Model`] (the Verilog personality) with a target at 0x50 that behaves as the bench's
//! `sim_eeprom` and QEMU's `at24c-eeprom`, and prints what the bench prints: `r VAL IRQ`
//! for a read (IRQ: the interrupt line after it), `e S`, `e P` and `e B BYTE ACK` for the
//! bus events, `m HEX` for the target's memory at the end of a program, and `o -` for any
//! other op.
//!
//! Time: the model's commands never complete by themselves (its latency is out of reach);
//! where the RTL's byte controller was idle when an op began (phase `I`, or `J` while its
//! BUSY still follows the wires), the command in flight completes first
//! ([`Model::settle`]). Elsewhere the op meets the command in flight, as on the RTL.

use std::any::Any;
use std::io::{self, BufRead, BufWriter, Write};

use sifive_i2c_hal::model::{Event, Model, Target};
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::Regs;

/// A 256-byte memory that behaves as QEMU's `at24c-eeprom` and the bench's `sim_eeprom`.
#[derive(Debug)]
struct Memory {
    mem: [u8; 256],
    ptr: u8,
    have_ptr: bool,
}

impl Target for Memory {
    fn start(&mut self, read: bool) -> bool {
        if !read {
            self.have_ptr = false;
        }
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.have_ptr {
            self.mem[usize::from(self.ptr)] = byte;
            self.ptr = self.ptr.wrapping_add(1);
        } else {
            self.ptr = byte;
            self.have_ptr = true;
        }
        true
    }

    fn read(&mut self) -> u8 {
        let byte = self.mem[usize::from(self.ptr)];
        self.ptr = self.ptr.wrapping_add(1);
        byte
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A controller out of reset with the target at 0x50, whose memory, like the bench's and
/// QEMU's, survives the reset.
fn fresh(mem: [u8; 256]) -> Model {
    let mut m = Model::new();
    m.set_latency(u32::MAX);
    m.set_access_limit(u32::MAX);
    m.attach(
        0x50,
        Memory {
            mem,
            ptr: 0,
            have_ptr: false,
        },
    );
    m
}

fn flush_events(m: &mut Model, out: &mut impl Write) -> io::Result<()> {
    for e in m.take_events() {
        match e {
            Event::Start | Event::RepeatedStart => writeln!(out, "e S")?,
            Event::Stop => writeln!(out, "e P")?,
            Event::Address { byte, ack }
            | Event::Write { byte, ack }
            | Event::Read { byte, ack } => writeln!(out, "e B {byte:02x} {}", u8::from(ack))?,
            Event::ArbitrationLost => writeln!(out, "e L")?,
        }
    }
    Ok(())
}

const READ_REGS: [ReadReg; 5] = [
    ReadReg::PrerLo,
    ReadReg::PrerHi,
    ReadReg::Ctr,
    ReadReg::Rxr,
    ReadReg::Sr,
];
const WRITE_REGS: [WriteReg; 5] = [
    WriteReg::PrerLo,
    WriteReg::PrerHi,
    WriteReg::Ctr,
    WriteReg::Txr,
    WriteReg::Cr,
];

fn bad(line: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("bad op: {line}"))
}

fn reg(word: Option<&str>, line: &str) -> io::Result<usize> {
    word.and_then(|w| w.parse::<usize>().ok())
        .filter(|&r| r < 5)
        .ok_or_else(|| bad(line))
}

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut m = fresh([0; 256]);
    for line in stdin.lock().lines() {
        let line = line?;
        let mut words = line.split_whitespace();
        let first = match words.next() {
            Some(w) => w,
            None => continue,
        };
        match first {
            "P" => {
                let mut mem = m.target::<Memory>(0x50).ok_or_else(|| bad(&line))?.mem;
                // "P HEX": the target's memory as the program begins.
                if let Some(hex) = words.next() {
                    for (i, b) in mem.iter_mut().enumerate() {
                        *b = hex
                            .get(2 * i..2 * i + 2)
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                            .ok_or_else(|| bad(&line))?;
                    }
                }
                m = fresh(mem);
            }
            "E" => {
                m.settle();
                flush_events(&mut m, &mut out)?;
                let t = m.target::<Memory>(0x50).ok_or_else(|| bad(&line))?;
                write!(out, "m ")?;
                for b in t.mem {
                    write!(out, "{b:02x}")?;
                }
                writeln!(out)?;
            }
            phase => {
                if phase == "I" || phase == "J" {
                    m.settle();
                }
                match words.next() {
                    Some("W") => {
                        let r = reg(words.next(), &line)?;
                        let v = words
                            .next()
                            .and_then(|w| u8::from_str_radix(w, 16).ok())
                            .ok_or_else(|| bad(&line))?;
                        m.write(WRITE_REGS[r], v);
                        flush_events(&mut m, &mut out)?;
                        writeln!(out, "o -")?;
                    }
                    Some("R") => {
                        let r = reg(words.next(), &line)?;
                        let v = m.read(READ_REGS[r]);
                        flush_events(&mut m, &mut out)?;
                        writeln!(out, "r {v:02x} {}", u8::from(m.irq_line()))?;
                    }
                    Some("D") | Some("S") => writeln!(out, "o -")?,
                    _ => return Err(bad(&line)),
                }
                flush_events(&mut m, &mut out)?;
            }
        }
    }
    writeln!(out, "x")?;
    out.flush()
}
