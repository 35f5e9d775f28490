// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The transfer state machine: one embedded-hal transaction as a sequence of commands.
//!
//! [`I2c::start`](crate::I2c::start) validates a transaction and issues its first command;
//! each call of [`I2c::advance`](crate::I2c::advance) looks at SR once and, when the command
//! in flight has completed, checks its outcome and issues the next one. Polling, an interrupt
//! handler and the async implementation all drive this same code; they differ only in when
//! they call `advance`.
//!
//! The plan follows the embedded-hal 1.0 transaction contract:
//! - START, address and R/W before the first operation;
//! - adjacent operations of the same kind form one segment: no START or address between them;
//! - a repeated START and the address before each segment of the other kind;
//! - the last byte of each read segment is NACKed;
//! - a read segment with no bytes still reads one byte, NACKs and discards it: after a read
//!   address the target drives SDA, and only a NACKed byte makes it let go;
//! - STOP after the last operation, folded into the last byte's command when there is one;
//! - the transfer ends only when SR.BUSY is clear; a bus that stays busy (before the START,
//!   or after the STOP) is recovered: a RD with NACK clocks 9 bits with SDA released, then
//!   STOP, at most [`RECOVERY_ROUNDS`] times.

use embedded_hal::i2c::Operation;

use crate::Error;

/// A target address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Address {
    /// A 7-bit address, 0x00..=0x77 (0x78..=0x7F are reserved).
    SevenBit(u8),
    /// A 10-bit address, 0x000..=0x3FF.
    TenBit(u16),
}

impl Address {
    /// Checks the address against its mode.
    pub const fn validate(self) -> Result<(), Error> {
        match self {
            Self::SevenBit(a) if a <= 0x77 => Ok(()),
            Self::TenBit(a) if a <= 0x3ff => Ok(()),
            _ => Err(Error::InvalidAddress),
        }
    }

    /// The first address byte after a START, with the R/W bit.
    pub(crate) const fn first_byte(self, read: bool) -> u8 {
        let rw = read as u8;
        match self {
            Self::SevenBit(a) => (a << 1) | rw,
            // 11110 A9 A8 R/W.
            Self::TenBit(a) => 0xf0 | (((a >> 8) as u8 & 3) << 1) | rw,
        }
    }
}

/// What the command in flight is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) enum Step {
    /// (Repeated) START and the (first) address byte.
    Address,
    /// The second byte of a 10-bit address.
    TenBitLow,
    /// Repeated START and 11110xx1, turning a 10-bit transfer around for a read.
    TenBitRead,
    /// Writing byte `index` of operation `op`; `stop` if STO rides on it.
    Write { op: usize, index: usize, stop: bool },
    /// Reading byte `index` of operation `op`; `stop` if STO rides on it.
    Read { op: usize, index: usize, stop: bool },
    /// Reading and discarding the one byte of a read segment with no bytes; `stop` if STO
    /// rides on it.
    Discard { stop: bool },
    /// STOP, alone or after a byte: waiting for the bus to go idle.
    Stop,
    /// The bus was busy before the START: waiting for it to go idle.
    WaitIdle,
    /// Bus recovery: a RD with NACK (9 clocks, SDA released) is in flight.
    RecoverClock { round: u8 },
    /// Bus recovery: the STOP after the clocks, waiting for the bus to go idle.
    RecoverStop { round: u8 },
    /// Finished.
    Done,
}

/// How many times bus recovery clocks 9 bits and sends STOP before it gives up: a target
/// left mid-byte lets go of SDA within 9 clocks, so 3 rounds leave room for a slow one.
pub const RECOVERY_ROUNDS: u8 = 3;

/// One transaction in progress. Create it with [`I2c::start`](crate::I2c::start) and drive it
/// with [`I2c::advance`](crate::I2c::advance) until that returns `Ready`.
///
/// # Invariants
///
/// `seg <= seg_end <= ops.len()`, and `ops[seg..seg_end]` are all reads or all writes; the
/// cursor `(op, index)` lies in that segment.
#[derive(Debug)]
pub struct Transfer<'a, 'b> {
    pub(crate) ops: &'a mut [Operation<'b>],
    pub(crate) address: Address,
    /// First operation of the current segment.
    pub(crate) seg: usize,
    /// One past the last operation of the current segment.
    pub(crate) seg_end: usize,
    /// The next byte to move: operation and byte index.
    pub(crate) op: usize,
    pub(crate) index: usize,
    pub(crate) step: Step,
    /// The first error seen; reported once STOP has completed.
    pub(crate) error: Option<Error>,
    /// Status polls left in the current wait.
    pub(crate) polls_left: u32,
    /// A read segment whose 10-bit address still needs the turn-around.
    pub(crate) previous_was_write: bool,
    /// A START has been issued (after recovery, end the transfer instead of starting it).
    pub(crate) started: bool,
    /// The STOP in flight has completed (its IF was seen and acknowledged).
    pub(crate) stop_seen: bool,
    /// The wire time of the command just issued, in nanoseconds, until a polling wait
    /// takes it (0: none).
    pub(crate) wire_ns: u32,
}

pub(crate) fn is_read(op: &Operation<'_>) -> bool {
    matches!(op, Operation::Read(_))
}

pub(crate) fn op_len(op: &Operation<'_>) -> usize {
    match op {
        Operation::Read(buf) => buf.len(),
        Operation::Write(buf) => buf.len(),
    }
}

impl<'a, 'b> Transfer<'a, 'b> {
    pub(crate) fn new(ops: &'a mut [Operation<'b>], address: Address, polls: u32) -> Self {
        let mut t = Self {
            ops,
            address,
            seg: 0,
            seg_end: 0,
            op: 0,
            index: 0,
            step: Step::Address,
            error: None,
            polls_left: polls,
            previous_was_write: false,
            started: false,
            stop_seen: false,
            wire_ns: 0,
        };
        t.enter_segment(0);
        t
    }

    /// Whether the transfer has finished (successfully or not).
    pub fn is_done(&self) -> bool {
        self.step == Step::Done
    }

    /// Whether the command in flight will raise an interrupt when it completes; `false`
    /// while waiting for the bus to go idle (before the START, after a STOP), which only
    /// polling observes: the caller then calls [`I2c::advance`](crate::I2c::advance) itself
    /// until the transfer ends or awaits an interrupt again.
    pub fn awaits_interrupt(&self) -> bool {
        !matches!(
            self.step,
            Step::Stop | Step::WaitIdle | Step::RecoverStop { .. } | Step::Done
        )
    }

    /// The result once [`Transfer::is_done`].
    pub(crate) fn result(&self) -> Result<(), Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether the current segment moves no byte at all (every operation in it is empty).
    pub(crate) fn segment_is_empty(&self) -> bool {
        self.ops[self.seg..self.seg_end]
            .iter()
            .all(|o| op_len(o) == 0)
    }

    pub(crate) fn segment_is_read(&self) -> bool {
        self.ops.get(self.seg).is_some_and(is_read)
    }

    /// Makes `ops[start..]`'s first segment current.
    pub(crate) fn enter_segment(&mut self, start: usize) {
        self.previous_was_write = start > 0 && !self.ops.get(start - 1).is_some_and(is_read);
        let read = self.ops.get(start).is_some_and(is_read);
        let len = self.ops[start..]
            .iter()
            .take_while(|op| is_read(op) == read)
            .count();
        // INVARIANT: `start + len <= ops.len()` and the run is of one kind.
        self.seg = start;
        self.seg_end = start + len;
        self.op = start;
        self.index = 0;
    }

    /// The next byte position at or after the cursor in this segment, skipping empty
    /// operations; moves the cursor there.
    pub(crate) fn seek(&mut self) -> Option<(usize, usize)> {
        while self.op < self.seg_end {
            if self.index < op_len(&self.ops[self.op]) {
                return Some((self.op, self.index));
            }
            self.op += 1;
            self.index = 0;
        }
        None
    }

    /// Whether `(op, index)` is the last byte of the current segment.
    pub(crate) fn is_last_in_segment(&self, op: usize, index: usize) -> bool {
        index + 1 >= op_len(&self.ops[op])
            && self.ops[op + 1..self.seg_end]
                .iter()
                .all(|o| op_len(o) == 0)
    }

    pub(crate) fn is_final_segment(&self) -> bool {
        self.seg_end >= self.ops.len()
    }

    /// The byte to write at `(op, index)`.
    pub(crate) fn write_byte(&self, op: usize, index: usize) -> u8 {
        match &self.ops[op] {
            Operation::Write(buf) => buf.get(index).copied().unwrap_or(0),
            Operation::Read(_) => 0,
        }
    }

    /// Stores a byte read at `(op, index)`.
    pub(crate) fn store(&mut self, op: usize, index: usize, byte: u8) {
        if let Some(Operation::Read(buf)) = self.ops.get_mut(op) {
            if let Some(slot) = buf.get_mut(index) {
                *slot = byte;
            }
        }
    }
}
