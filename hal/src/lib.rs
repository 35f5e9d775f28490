// SPDX-License-Identifier: GPL-2.0 OR MIT

#![doc = include_str!("../README.md")]
//!
//! # API map
//!
//! - [`Regs`], the driver's only way to the hardware, and [`regs`], the register map
//!   ([`regs::Cr`], [`regs::Sr`], [`regs::Ctr`] as typed flags).
//! - [`Mmio`] with its layout, [`MmioConfig`] ([`RegShift`], [`IoWidth`], [`Endian`]).
//! - [`soc`]: [`soc::fu540`], [`soc::fu740`], [`soc::fe310`], each with its `Peripherals`;
//!   [`soc::Instance`] and [`soc::HandlerRegs`], the interrupt handler's view.
//! - [`Counting`], which counts the accesses of any [`Regs`].
//! - With the `model` feature: `model::Model`, its targets and its faults.

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
