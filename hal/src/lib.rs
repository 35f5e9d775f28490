// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Hardware access layer of the SiFive (OpenCores) I2C controller.
//!
//! The driver reaches the hardware only through the [`Regs`] trait: a read or a write of one
//! register by index. [`Mmio`] implements it over memory-mapped registers; [`Counting`] wraps
//! any implementation and counts the accesses (the figure the benchmarks report); with the
//! `model` feature, `model::Model` implements it as a behavioural model of the controller
//! with I2C targets and fault injection, for host tests.
//!
//! Hardware reference: OpenCores I2C controller specification and `i2c_master_top.v`; the
//! FU540-C000 manual, chapter "I2C".
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::{Counting, Regs};
//! use sifive_i2c_hal::regs::{ReadReg, Sr, WriteReg};
//!
//! /// A register file that remembers the last write to each index.
//! struct Latch([u8; 5]);
//!
//! impl Regs for Latch {
//!     fn read(&mut self, reg: ReadReg) -> u8 {
//!         self.0[reg.index()]
//!     }
//!     fn write(&mut self, reg: WriteReg, value: u8) {
//!         self.0[reg.index()] = value;
//!     }
//! }
//!
//! let mut regs = Counting::new(Latch([0; 5]));
//! regs.write(WriteReg::Cr, 0x40);
//! assert_eq!(regs.sr(), Sr::BUSY);
//! assert_eq!((regs.reads(), regs.writes()), (1, 1));
//! ```

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

mod mmio;
#[cfg(feature = "model")]
pub mod model;
#[cfg(feature = "plic")]
pub mod plic;
pub mod regs;
pub mod soc;

pub use mmio::{Endian, IoWidth, Mmio, MmioConfig, RegShift};
use regs::{Cr, Ctr, ReadReg, Sr, WriteReg};

/// Access to the controller's registers: the only way the driver touches the hardware.
///
/// Implementations perform exactly one hardware access per call, with no caching, so a
/// status read observes the hardware and the number of calls is the number of bus cycles.
pub trait Regs {
    /// Reads register `reg` and returns its 8-bit value.
    fn read(&mut self, reg: ReadReg) -> u8;

    /// Writes `value` to register `reg`.
    fn write(&mut self, reg: WriteReg, value: u8);

    /// Reads and decodes SR, with the reserved bits masked.
    fn sr(&mut self) -> Sr {
        Sr::from_reg(self.read(ReadReg::Sr))
    }

    /// Reads and decodes CTR, with the reserved bits masked.
    fn ctr(&mut self) -> Ctr {
        Ctr::from_reg(self.read(ReadReg::Ctr))
    }

    /// Writes a command to CR.
    fn set_cr(&mut self, cr: Cr) {
        self.write(WriteReg::Cr, cr.bits());
    }

    /// Writes CTR.
    fn set_ctr(&mut self, ctr: Ctr) {
        self.write(WriteReg::Ctr, ctr.bits());
    }
}

impl<T: Regs + ?Sized> Regs for &mut T {
    fn read(&mut self, reg: ReadReg) -> u8 {
        (**self).read(reg)
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        (**self).write(reg, value);
    }
}

/// A [`Regs`] implementation that counts the accesses it forwards.
///
/// Counts are the benchmark figure of this project: they do not depend on machine load.
#[derive(Debug, Default)]
pub struct Counting<R> {
    inner: R,
    reads: u32,
    writes: u32,
}

impl<R: Regs> Counting<R> {
    /// Wraps `inner`, with both counters at zero.
    pub const fn new(inner: R) -> Self {
        Self {
            inner,
            reads: 0,
            writes: 0,
        }
    }

    /// Register reads since creation or the last [`Counting::reset`].
    pub const fn reads(&self) -> u32 {
        self.reads
    }

    /// Register writes since creation or the last [`Counting::reset`].
    pub const fn writes(&self) -> u32 {
        self.writes
    }

    /// Sets both counters to zero.
    pub fn reset(&mut self) {
        self.reads = 0;
        self.writes = 0;
    }

    /// The wrapped implementation.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// The wrapped implementation, mutably. Accesses through it are not counted.
    pub fn inner_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Unwraps the inner implementation.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Regs> Regs for Counting<R> {
    fn read(&mut self, reg: ReadReg) -> u8 {
        self.reads = self.reads.saturating_add(1);
        self.inner.read(reg)
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        self.writes = self.writes.saturating_add(1);
        self.inner.write(reg, value);
    }
}
