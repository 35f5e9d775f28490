// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The transfer state machine: one transaction (a list of [`Segment`](crate::Segment)s) as
//! a sequence of commands.
//!
//! [`I2c::start_segments`](crate::I2c::start_segments) validates a transaction and issues
//! its first command; each call of [`I2c::advance`](crate::I2c::advance) looks at SR once
//! and, when the command in flight has completed, checks its outcome and issues the next
//! one. Polling, an interrupt handler and the async implementation all drive this same
//! code; they differ only in when they call `advance`.
//!
//! The plan:
//! - a segment with START begins a run: (repeated) START and its address, then its bytes;
//!   the segments without START after it continue the run, in the same direction, with no
//!   START or address between them;
//! - the last byte of each read run is NACKed, every other read byte is ACKed;
//! - a read run with no bytes still reads one byte, NACKs and discards it: after a read
//!   address the target drives SDA, and only a NACKed byte makes it let go;
//! - a block read ACKs its count byte, then reads that many bytes and its trailer; a count
//!   of 0 or above 32 reads one more byte with NACK and STOP, and fails the transfer;
//! - a NACK ends the transfer with STOP, unless its segment ignores NACKs;
//! - STOP after the last segment, and after a segment that asks for one
//!   ([`Segment::stop_after`](crate::Segment::stop_after), then a START begins the next),
//!   folded into the last byte's command when there is one;
//! - the transfer ends only when SR.BUSY is clear; a bus that stays busy (before the START,
//!   or after the STOP) is recovered: a RD with NACK clocks 9 bits with SDA released, then
//!   STOP, at most [`RECOVERY_ROUNDS`] times.
//!
//! The embedded-hal transaction maps onto it through [`Ops`] (one segment per operation,
//! a START where the kind changes), which gives the embedded-hal 1.0 contract.

use crate::segment::{Header, Ops, Segments, BLOCK_MAX};
use crate::Error;

/// A target address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Address {
    /// A 7-bit address, 0x00..=0x77 (0x78..=0x7F are reserved).
    SevenBit(u8),
    /// Any 7-bit value, 0x00..=0x7F, the reserved 0x78..=0x7F included (for example the
    /// Device ID address 0x7C): for callers that ask for a reserved address on purpose.
    SevenBitRaw(u8),
    /// A 10-bit address, 0x000..=0x3FF.
    TenBit(u16),
}

impl Address {
    /// Checks the address against its mode.
    pub const fn validate(self) -> Result<(), Error> {
        match self {
            Self::SevenBit(a) if a <= 0x77 => Ok(()),
            Self::SevenBitRaw(a) if a <= 0x7f => Ok(()),
            Self::TenBit(a) if a <= 0x3ff => Ok(()),
            _ => Err(Error::InvalidAddress),
        }
    }

    /// The first address byte after a START, with the R/W bit.
    pub(crate) const fn first_byte(self, read: bool) -> u8 {
        let rw = read as u8;
        match self {
            Self::SevenBit(a) | Self::SevenBitRaw(a) => (a << 1) | rw,
            // 11110 A9 A8 R/W.
            Self::TenBit(a) => 0xf0 | (((a >> 8) as u8 & 3) << 1) | rw,
        }
    }

    const fn is_ten_bit(self) -> bool {
        matches!(self, Self::TenBit(_))
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
    /// Writing byte `index` of segment `seg`; `stop` if STO rides on it.
    Write {
        seg: usize,
        index: usize,
        stop: bool,
    },
    /// Reading byte `index` of segment `seg`; `stop` if STO rides on it.
    Read {
        seg: usize,
        index: usize,
        stop: bool,
    },
    /// Reading the count byte of block read `seg` (ACKed: at least one byte follows).
    BlockCount { seg: usize },
    /// Reading and discarding one byte with NACK: the one byte of a read run with no bytes,
    /// or the byte after a bad block count; `stop` if STO rides on it.
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

/// One transaction in progress over segments `S`. Create it with
/// [`I2c::start_segments`](crate::I2c::start_segments) (or [`I2c::start`](crate::I2c::start)
/// for embedded-hal operations) and drive it with [`I2c::advance`](crate::I2c::advance) until
/// that returns `Ready`.
///
/// # Invariants
///
/// `run <= seg <= run_end <= segs.count()`; `segs[run]` has a START and
/// `segs[run + 1..run_end]` have none (so they share `segs[run]`'s direction); `block`, when
/// set, is the bus length of block read `seg` after its count byte.
#[derive(Debug)]
pub struct SegmentTransfer<S> {
    pub(crate) segs: S,
    /// The segment with the START of the current run.
    pub(crate) run: usize,
    /// One past the last segment of the current run.
    pub(crate) run_end: usize,
    /// The next byte to move: segment and byte index.
    pub(crate) seg: usize,
    pub(crate) index: usize,
    /// The bytes block read `seg` moves, once its count byte has been read.
    pub(crate) block: Option<usize>,
    /// While a byte of segment `seg` is in flight ([`Step::Write`] or [`Step::Read`]): how
    /// many bytes after it are in the same segment and not its last, which the driver then
    /// issues with no look-up of the segments.
    pub(crate) ready: usize,
    /// The address of the run before this one if it was a write (a 10-bit read after it
    /// needs only the turn-around).
    pub(crate) last_write: Option<Address>,
    pub(crate) step: Step,
    /// The first error seen; reported once STOP has completed.
    pub(crate) error: Option<Error>,
    /// Status polls left in the current wait.
    pub(crate) polls_left: u32,
    /// A START has been issued (after recovery, end the transfer instead of starting it).
    pub(crate) started: bool,
    /// The STOP in flight has completed (its IF was seen and acknowledged).
    pub(crate) stop_seen: bool,
    /// The wire time of the command just issued, in nanoseconds, until a polling wait
    /// takes it (0: none).
    pub(crate) wire_ns: u32,
}

/// One embedded-hal transaction in progress (see [`SegmentTransfer`]).
pub type Transfer<'a, 'b> = SegmentTransfer<Ops<'a, 'b>>;

/// Checks a transaction before any register access.
pub(crate) fn validate<S: Segments>(segs: &S) -> Result<(), Error> {
    let n = segs.count();
    if n == 0 {
        return Err(Error::InvalidOperation);
    }
    let mut previous_read = None;
    let mut previous_stop = false;
    for i in 0..n {
        let h = segs.header(i);
        if h.start {
            h.address.validate()?;
            if h.reverse_rw && h.address.is_ten_bit() {
                return Err(Error::Unsupported);
            }
        } else if previous_read != Some(h.read) || previous_stop {
            // The first segment needs its START, and so does one after a STOP; a
            // continuation keeps the direction.
            return Err(Error::InvalidOperation);
        }
        if h.read && !h.can_store {
            return Err(Error::InvalidOperation);
        }
        if let Some(trailer) = h.block {
            if h.len < Header::block_room(trailer) {
                return Err(Error::InvalidOperation);
            }
        }
        previous_read = Some(h.read);
        previous_stop = h.stop;
    }
    Ok(())
}

impl<S: Segments> SegmentTransfer<S> {
    pub(crate) fn new(segs: S, polls: u32) -> Self {
        let mut t = Self::idle(segs);
        t.reset(polls);
        t
    }

    /// A transfer over `segs` that has not started (it reads as finished, with no error):
    /// storage for a transaction that [`I2c::restart`](crate::I2c::restart) starts in
    /// place, where its segments live (a kernel module keeps one per instance).
    pub fn idle(segs: S) -> Self {
        Self {
            segs,
            run: 0,
            run_end: 0,
            seg: 0,
            index: 0,
            block: None,
            ready: 0,
            last_write: None,
            step: Step::Done,
            error: None,
            polls_left: 0,
            started: false,
            stop_seen: false,
            wire_ns: 0,
        }
    }

    /// Sets the cursor to the first segment, ready to issue its address.
    pub(crate) fn reset(&mut self, polls: u32) {
        self.ready = 0;
        self.last_write = None;
        self.step = Step::Address;
        self.error = None;
        self.polls_left = polls;
        self.started = false;
        self.stop_seen = false;
        self.wire_ns = 0;
        if self.segs.count() > 0 {
            self.enter_run(0);
        }
    }

    /// The segments, to change them once the transfer has finished (`None` while it runs).
    pub fn segments_mut(&mut self) -> Option<&mut S> {
        self.is_done().then_some(&mut self.segs)
    }

    /// Marks the transfer finished without any register access, keeping its error: for a
    /// platform that has disabled or reset the controller under it.
    pub fn cancel(&mut self) {
        self.step = Step::Done;
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

    /// The wire time of the command issued since the last call (or since the transfer
    /// started), in nanoseconds, as [`I2c::wire_ns`](crate::I2c::wire_ns) counts it; 0 if
    /// no command was issued since. A polling caller that can sleep sleeps about this long
    /// before it looks at the status again.
    ///
    /// # Examples
    ///
    /// ```
    /// use embedded_hal::i2c::Operation;
    /// use sifive_i2c::{Address, BusSpeed, Config, I2c};
    /// use sifive_i2c_hal::model::{Eeprom24c02, Model};
    /// use sifive_i2c_hal::regs::Cr;
    ///
    /// let mut model = Model::new();
    /// model.attach(0x50, Eeprom24c02::new());
    /// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Standard))?;
    /// let mut ops = [Operation::Write(&[0x10, 0xca])];
    /// let mut t = i2c.start(Address::SevenBit(0x50), &mut ops)?;
    /// assert_eq!(t.take_wire_ns(), i2c.wire_ns(Cr::STA | Cr::WR));
    /// assert_eq!(t.take_wire_ns(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take_wire_ns(&mut self) -> u32 {
        core::mem::take(&mut self.wire_ns)
    }

    /// The segments (for example to read a block read's length once the transfer is done).
    pub fn segments(&self) -> &S {
        &self.segs
    }

    /// Ends the transfer's borrow of its segments.
    pub fn into_segments(self) -> S {
        self.segs
    }

    /// The result once [`SegmentTransfer::is_done`].
    pub(crate) fn result(&self) -> Result<(), Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The header of the current run's START segment.
    pub(crate) fn run_header(&self) -> Header {
        self.segs.header(self.run)
    }

    /// The bytes segment `seg` moves on the bus (a block read before its count: the
    /// fewest it can).
    pub(crate) fn seg_len(&self, seg: usize) -> usize {
        match self.block {
            Some(len) if seg == self.seg => len,
            _ => self.segs.header(seg).min_len(),
        }
    }

    /// Whether the current run moves no byte at all.
    pub(crate) fn run_is_empty(&self) -> bool {
        (self.run..self.run_end).all(|i| self.segs.header(i).min_len() == 0)
    }

    /// Makes the run starting at segment `start` current.
    pub(crate) fn enter_run(&mut self, start: usize) {
        let n = self.segs.count();
        let end = (start + 1..n)
            .find(|&i| self.segs.header(i).start)
            .unwrap_or(n);
        // INVARIANT: `start < end <= count`; validation gave `start` a START and the
        // continuations the same direction.
        self.run = start;
        self.run_end = end;
        self.seg = start;
        self.index = 0;
        self.block = None;
    }

    /// Leaves the current run: remembers its address if it wrote.
    pub(crate) fn leave_run(&mut self) {
        let h = self.run_header();
        self.last_write = (!h.read).then_some(h.address);
    }

    /// The next byte position at or after the cursor in this run, skipping empty segments;
    /// moves the cursor there.
    pub(crate) fn seek(&mut self) -> Option<(usize, usize)> {
        while self.seg < self.run_end {
            if self.index < self.seg_len(self.seg) {
                return Some((self.seg, self.index));
            }
            self.seg += 1;
            self.index = 0;
            self.block = None;
        }
        None
    }

    /// Whether `(seg, index)` is the last byte of the current run; `len` is
    /// [`SegmentTransfer::seg_len`] of `seg`.
    pub(crate) fn is_last_in_run(&self, seg: usize, index: usize, len: usize) -> bool {
        index + 1 >= len && (seg + 1..self.run_end).all(|i| self.segs.header(i).min_len() == 0)
    }

    pub(crate) fn is_final_run(&self) -> bool {
        self.run_end >= self.segs.count()
    }

    /// Whether STOP follows the current run: it is the last, or its last segment asks for
    /// one.
    pub(crate) fn run_ends_with_stop(&self) -> bool {
        self.is_final_run() || (self.run_end > 0 && self.segs.header(self.run_end - 1).stop)
    }

    /// A block read's count byte arrived: checks it and sets the segment's length.
    pub(crate) fn block_count(&mut self, seg: usize, count: u8) -> Result<(), Error> {
        self.segs.store(seg, 0, count);
        if count == 0 || count > BLOCK_MAX {
            return Err(Error::BlockLength { len: count });
        }
        let trailer = self.segs.header(seg).block.unwrap_or(0);
        self.block = Some(1 + usize::from(count) + usize::from(trailer));
        self.segs.block_len(seg, count);
        Ok(())
    }
}
