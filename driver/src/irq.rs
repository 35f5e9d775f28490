// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Safe sharing between an interrupt handler and the task: [`IrqSlot`], a `static` place
//! for what the handler needs (its register view, or a controller it drives), behind a
//! critical section.
//!
//! The handler and the task never hold the contents at the same time: both reach them
//! only inside [`IrqSlot::with`], which runs in a `critical_section::with`. The
//! application provides the critical-section implementation (on a single-hart RISC-V
//! target, the riscv crate's `critical-section-single-hart` feature, which masks machine
//! interrupts).
//!
//! # Examples
//!
//! ```
//! use sifive_i2c::{IrqSignal, IrqSlot};
//! use sifive_i2c_hal::regs::{ReadReg, WriteReg};
//! use sifive_i2c_hal::Regs;
//!
//! /// Stands in for the instance's `HandlerRegs` (from `Instance::split`) on the host: SR
//! /// reads IF, CTR remembers its writes.
//! struct Handler(u8);
//!
//! impl Regs for Handler {
//!     fn read(&mut self, reg: ReadReg) -> u8 {
//!         if reg == ReadReg::Sr { 0x01 } else { self.0 }
//!     }
//!     fn write(&mut self, _reg: WriteReg, value: u8) {
//!         self.0 = value;
//!     }
//! }
//!
//! static I2C0_HANDLER: IrqSlot<Handler> = IrqSlot::new();
//! static I2C0_IRQ: IrqSignal = IrqSignal::new();
//!
//! /// The PLIC handler of the instance's source.
//! fn i2c0_interrupt() -> Option<bool> {
//!     I2C0_HANDLER.with(|regs| I2C0_IRQ.on_interrupt(regs))
//! }
//!
//! assert_eq!(i2c0_interrupt(), None);
//! I2C0_HANDLER.put(Handler(0xc0));
//! // IF was set: the handler masked the interrupt (CTR = EN).
//! assert_eq!(i2c0_interrupt(), Some(true));
//! assert_eq!(I2C0_HANDLER.take().map(|h| h.0), Some(0x80));
//! //! ```

use core::cell::RefCell;

use critical_section::Mutex;

/// A `static` place for a value the interrupt handler and the task share (see the module
/// documentation).
#[derive(Debug)]
pub struct IrqSlot<T> {
    inner: Mutex<RefCell<Option<T>>>,
}

impl<T> Default for IrqSlot<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> IrqSlot<T> {
    /// An empty slot.
    pub const fn new() -> Self {
        Self {
            inner: Mutex::new(RefCell::new(None)),
        }
    }

    /// Puts `value` in the slot, returning what it held.
    pub fn put(&self, value: T) -> Option<T> {
        critical_section::with(|cs| self.inner.borrow_ref_mut(cs).replace(value))
    }

    /// Takes the value out of the slot.
    pub fn take(&self) -> Option<T> {
        critical_section::with(|cs| self.inner.borrow_ref_mut(cs).take())
    }

    /// Runs `f` on the value inside a critical section; `None` if the slot is empty (or,
    /// from a nested call, already in use).
    pub fn with<U>(&self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        critical_section::with(|cs| {
            let mut slot = self.inner.borrow(cs).try_borrow_mut().ok()?;
            slot.as_mut().map(f)
        })
    }
}

/// The one-shot protocol's line on a SoC's PLIC ([`crate::AsyncI2c::with_irq_line`]): the
/// trap handler holds the claim of the controller's source
/// (`sifive_i2c_hal::plic::Claim::hold`) when [`crate::IrqSignal::on_interrupt_oneshot`]
/// says the interrupt was the controller's, and the task rearms by completing it.
#[cfg(feature = "plic")]
impl crate::IrqLine for sifive_i2c_hal::plic::PlicLine {
    fn rearm(&mut self) {
        self.complete();
    }
}
