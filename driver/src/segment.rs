// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The transaction model: a transaction is a list of segments, each saying what the wire
//! does before and during it.
//!
//! A [`Segment`] has its own address, a direction, and whether a (repeated) START and the
//! address precede it; a segment without START continues the one before it in the same
//! direction (Linux's `I2C_M_NOSTART`). A segment may ignore NACKs (`I2C_M_IGNORE_NAK`),
//! send its address byte with the R/W bit reversed (`I2C_M_REV_DIR_ADDR`), be followed by a
//! STOP (`I2C_M_STOP`), or be a block read whose length comes from its first byte (SMBus
//! block read, `I2C_M_RECV_LEN`).
//!
//! The state machine reads a transaction through the [`Segments`] trait, so the bytes can
//! live anywhere a [`Buffer`] reaches: in slices ([`Bytes`]), or behind raw pointers in a
//! kernel module that may not make slices of its clients' buffers (a client may point a
//! write and a later read at the same memory). The embedded-hal operations map onto the
//! model through [`Ops`], one segment per operation.

use embedded_hal::i2c::Operation;

use crate::Address;

/// The largest count byte a block read accepts (`I2C_SMBUS_BLOCK_MAX`).
pub const BLOCK_MAX: u8 = 32;

/// Where a segment's bytes are: read from for a write, stored into for a read.
///
/// The driver calls these one byte at a time and never holds a reference into the bytes
/// across calls, so an implementation may keep a raw pointer and reach the memory without
/// ever making a slice of it.
pub trait Buffer {
    /// How many bytes the buffer holds.
    fn len(&self) -> usize;

    /// Whether the buffer holds no byte.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Byte `index` (below [`Buffer::len`]), to be written on the bus.
    fn get(&self, index: usize) -> u8;

    /// Stores byte `index` (below [`Buffer::len`]), read from the bus.
    fn set(&mut self, index: usize, byte: u8);

    /// Whether [`Buffer::set`] stores bytes: a read segment needs it.
    fn can_store(&self) -> bool {
        true
    }
}

/// A segment's bytes in a slice: shared for a write, exclusive for a read.
#[derive(Debug)]
pub enum Bytes<'a> {
    /// Bytes to write.
    Out(&'a [u8]),
    /// Room for bytes to read.
    In(&'a mut [u8]),
}

impl Buffer for Bytes<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Out(b) => b.len(),
            Self::In(b) => b.len(),
        }
    }

    fn get(&self, index: usize) -> u8 {
        match self {
            Self::Out(b) => b.get(index).copied().unwrap_or(0),
            Self::In(b) => b.get(index).copied().unwrap_or(0),
        }
    }

    fn set(&mut self, index: usize, byte: u8) {
        if let Self::In(b) = self {
            if let Some(slot) = b.get_mut(index) {
                *slot = byte;
            }
        }
    }

    fn can_store(&self) -> bool {
        matches!(self, Self::In(_))
    }
}

/// What the state machine needs to know about one segment ([`Segment::header`] gives it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct Header {
    /// The target address, sent after the START (unused without [`Header::start`]).
    pub address: Address,
    /// The segment reads (else it writes).
    pub read: bool,
    /// A (repeated) START and the address precede the segment; `false` continues the
    /// segment before it, in the same direction.
    pub start: bool,
    /// NACKs of the address (when [`Header::start`]) and of the data bytes do not end the
    /// transfer.
    pub ignore_nack: bool,
    /// The address byte's R/W bit is reversed (7-bit addresses only).
    pub reverse_rw: bool,
    /// A STOP follows the segment, and a START the next segment (the last segment is
    /// followed by STOP anyway).
    pub stop: bool,
    /// A block read: the first byte is a count of 1..=[`BLOCK_MAX`] bytes that follow, and
    /// then this many more bytes (a PEC byte, for example).
    pub block: Option<u8>,
    /// The buffer's length: the bytes to move, or for a block read the room there is.
    pub len: usize,
    /// The buffer can store bytes read.
    pub can_store: bool,
}

impl Header {
    /// What a segment index past the end reads as: an empty write with no START (the state
    /// machine never asks for one; answering this instead of panicking keeps the panic
    /// machinery out of the code).
    const NONE: Self = Self {
        address: Address::SevenBit(0),
        read: false,
        start: false,
        ignore_nack: false,
        reverse_rw: false,
        stop: false,
        block: None,
        len: 0,
        can_store: false,
    };

    /// The bytes a block read needs room for: the count, [`BLOCK_MAX`] bytes and the
    /// trailer.
    pub const fn block_room(trailer: u8) -> usize {
        1 + BLOCK_MAX as usize + trailer as usize
    }

    /// The fewest bytes the segment moves on the bus (a block read: the count, at least one
    /// byte and the trailer).
    pub(crate) const fn min_len(&self) -> usize {
        match self.block {
            Some(trailer) => 2 + trailer as usize,
            None => self.len,
        }
    }

    /// The most bytes the segment moves on the bus.
    pub(crate) const fn max_len(&self) -> usize {
        match self.block {
            Some(trailer) => Self::block_room(trailer),
            None => self.len,
        }
    }
}

/// A transaction as the state machine sees it: a list of segments and their bytes.
///
/// Implemented for slices of [`Segment`] and for embedded-hal operations ([`Ops`]); a
/// platform may implement it over its own message list.
pub trait Segments {
    /// How many segments there are.
    fn count(&self) -> usize;

    /// Segment `seg` (below [`Segments::count`]).
    fn header(&self, seg: usize) -> Header;

    /// Byte `index` of write segment `seg`.
    fn byte(&self, seg: usize, index: usize) -> u8;

    /// Stores byte `index` of read segment `seg`.
    fn store(&mut self, seg: usize, index: usize, byte: u8);

    /// Block read `seg` received the count `count` (1..=[`BLOCK_MAX`]); its bytes are the
    /// count, `count` bytes and its trailer.
    fn block_len(&mut self, seg: usize, count: u8);
}

impl<S: Segments + ?Sized> Segments for &mut S {
    fn count(&self) -> usize {
        (**self).count()
    }

    fn header(&self, seg: usize) -> Header {
        (**self).header(seg)
    }

    fn byte(&self, seg: usize, index: usize) -> u8 {
        (**self).byte(seg, index)
    }

    fn store(&mut self, seg: usize, index: usize, byte: u8) {
        (**self).store(seg, index, byte);
    }

    fn block_len(&mut self, seg: usize, count: u8) {
        (**self).block_len(seg, count);
    }
}

/// One segment of a transaction: its address, its direction, whether a (repeated) START and
/// the address precede it, whether NACKs end the transfer, a reversed R/W bit, a block read
/// (Documentation/driver.rst, "The transaction model").
///
/// Build it with [`Segment::write`], [`Segment::read`] or [`Segment::block_read`] (slices),
/// or [`Segment::new`] (any [`Buffer`]), then adjust it with the builder methods.
///
/// # Examples
///
/// A write to one target, then a read from another, with a repeated START between them:
///
/// ```
/// use sifive_i2c::{Address, BusSpeed, Config, I2c, Segment};
/// use sifive_i2c_hal::model::{Eeprom24c02, Model, Tmp105};
///
/// let mut model = Model::new();
/// model.attach(0x50, Eeprom24c02::new());
/// model.attach(0x48, Tmp105::new(0x1980));
/// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Fast))?;
/// let mut temperature = [0u8; 2];
/// i2c.transfer(&mut [
///     Segment::write(Address::SevenBit(0x48), &[0]),
///     Segment::read(Address::SevenBit(0x48), &mut temperature),
///     Segment::write(Address::SevenBit(0x50), &[0x10, 0xca]),
/// ])?;
/// assert_eq!(temperature, [0x19, 0x80]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Segment<B> {
    address: Address,
    buf: B,
    read: bool,
    start: bool,
    ignore_nack: bool,
    reverse_rw: bool,
    stop: bool,
    block: Option<u8>,
    block_len: Option<u8>,
}

impl<'a> Segment<Bytes<'a>> {
    /// START, the address with R/W = 0, then `bytes`.
    pub fn write(address: Address, bytes: &'a [u8]) -> Self {
        Self::new(address, false, Bytes::Out(bytes))
    }

    /// START, the address with R/W = 1, then `buf.len()` bytes read; the last byte of a
    /// read is NACKed unless a read segment without START continues it.
    pub fn read(address: Address, buf: &'a mut [u8]) -> Self {
        Self::new(address, true, Bytes::In(buf))
    }

    /// START, the address with R/W = 1, then a block read: the count byte, then as many
    /// bytes as it says (1..=[`BLOCK_MAX`]). `buf` needs room for 33 bytes; the count is
    /// stored at `buf[0]` and returned by [`Segment::block_len`].
    pub fn block_read(address: Address, buf: &'a mut [u8]) -> Self {
        Self::new(address, true, Bytes::In(buf)).block(0)
    }
}

impl<B: Buffer> Segment<B> {
    /// A segment of direction `read` over `buf`, with a START and the address before it.
    pub fn new(address: Address, read: bool, buf: B) -> Self {
        Self {
            address,
            buf,
            read,
            start: true,
            ignore_nack: false,
            reverse_rw: false,
            stop: false,
            block: None,
            block_len: None,
        }
    }

    /// No START and no address before this segment: it continues the segment before it,
    /// which must have the same direction (Linux's `I2C_M_NOSTART`). Its address is unused.
    #[must_use]
    pub fn no_start(mut self) -> Self {
        self.start = false;
        self
    }

    /// NACKs of this segment's address and data bytes do not end the transfer (Linux's
    /// `I2C_M_IGNORE_NAK`).
    #[must_use]
    pub fn ignore_nack(mut self) -> Self {
        self.ignore_nack = true;
        self
    }

    /// The address byte carries the reversed R/W bit (Linux's `I2C_M_REV_DIR_ADDR`): a write
    /// sends R/W = 1, a read R/W = 0. 7-bit addresses only.
    #[must_use]
    pub fn reverse_rw(mut self) -> Self {
        self.reverse_rw = true;
        self
    }

    /// A STOP after this segment; the next segment then begins with a START, not a repeated
    /// START, and must have one (Linux's `I2C_M_STOP`).
    #[must_use]
    pub fn stop_after(mut self) -> Self {
        self.stop = true;
        self
    }

    /// Makes a read segment a block read (Linux's `I2C_M_RECV_LEN`): the count byte, that
    /// many bytes, then `trailer` more (1 for a PEC byte). The buffer needs room for
    /// `1 + 32 + trailer` bytes.
    #[must_use]
    pub fn block(mut self, trailer: u8) -> Self {
        self.block = Some(trailer);
        self
    }

    /// The count byte a block read received, once it has.
    pub fn block_len(&self) -> Option<u8> {
        self.block_len
    }

    /// The segment's buffer.
    pub fn buffer(&self) -> &B {
        &self.buf
    }

    /// What the state machine sees of the segment.
    pub fn header(&self) -> Header {
        Header {
            address: self.address,
            read: self.read,
            start: self.start,
            ignore_nack: self.ignore_nack,
            reverse_rw: self.reverse_rw,
            stop: self.stop,
            block: if self.read { self.block } else { None },
            len: self.buf.len(),
            can_store: self.buf.can_store(),
        }
    }
}

impl<B: Buffer> Segments for [Segment<B>] {
    fn count(&self) -> usize {
        self.len()
    }

    // An index past the end (which the state machine never gives) reads as an empty
    // segment and stores nothing.
    fn header(&self, seg: usize) -> Header {
        self.get(seg).map_or(Header::NONE, Segment::header)
    }

    fn byte(&self, seg: usize, index: usize) -> u8 {
        self.get(seg).map_or(0, |s| s.buf.get(index))
    }

    fn store(&mut self, seg: usize, index: usize, byte: u8) {
        if let Some(s) = self.get_mut(seg) {
            s.buf.set(index, byte);
        }
    }

    fn block_len(&mut self, seg: usize, count: u8) {
        if let Some(s) = self.get_mut(seg) {
            s.block_len = Some(count);
        }
    }
}

/// An embedded-hal transaction as segments: one segment per operation, with a START and the
/// address before each operation whose kind differs from the one before it.
#[derive(Debug)]
pub struct Ops<'a, 'b> {
    address: Address,
    ops: &'a mut [Operation<'b>],
}

impl<'a, 'b> Ops<'a, 'b> {
    /// The operations of one embedded-hal transaction to `address`.
    pub fn new(address: Address, ops: &'a mut [Operation<'b>]) -> Self {
        Self { address, ops }
    }
}

fn is_read(op: &Operation<'_>) -> bool {
    matches!(op, Operation::Read(_))
}

impl Segments for Ops<'_, '_> {
    fn count(&self) -> usize {
        self.ops.len()
    }

    fn header(&self, seg: usize) -> Header {
        let read = is_read(&self.ops[seg]);
        let start = seg == 0 || is_read(&self.ops[seg - 1]) != read;
        let len = match &self.ops[seg] {
            Operation::Read(buf) => buf.len(),
            Operation::Write(buf) => buf.len(),
        };
        Header {
            address: self.address,
            read,
            start,
            ignore_nack: false,
            reverse_rw: false,
            stop: false,
            block: None,
            len,
            can_store: read,
        }
    }

    fn byte(&self, seg: usize, index: usize) -> u8 {
        match &self.ops[seg] {
            Operation::Write(buf) => buf.get(index).copied().unwrap_or(0),
            Operation::Read(_) => 0,
        }
    }

    fn store(&mut self, seg: usize, index: usize, byte: u8) {
        if let Some(Operation::Read(buf)) = self.ops.get_mut(seg) {
            if let Some(slot) = buf.get_mut(index) {
                *slot = byte;
            }
        }
    }

    fn block_len(&mut self, _seg: usize, _count: u8) {}
}
