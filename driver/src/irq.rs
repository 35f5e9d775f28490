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
///
/// # Examples
///
/// The interrupt-handler mode: the task starts a transaction and lends the driver and the
/// transfer to the handler, which advances it on each interrupt with the SR value it
/// read ([`crate::I2c::advance_irq`]); the task drives the waits for an idle bus (before
/// the START, after the STOP), which raise no interrupt, and takes both back at the end.
/// On a board the slot is a `static` and the trap handler calls `i2c0_interrupt` for the
/// instance's PLIC source (the `plic` feature's `sifive_i2c_hal::plic::claim`); here the
/// host model's interrupt line stands in for the PLIC.
///
/// ```
/// use core::task::Poll;
///
/// use sifive_i2c::{Address, BusSpeed, Bytes, Config, Error, I2c, IrqSlot, Segment};
/// use sifive_i2c::SegmentTransfer;
/// use sifive_i2c_hal::model::{Eeprom24c02, Model};
/// use sifive_i2c_hal::Regs as _;
///
/// /// What the handler drives while a transaction runs.
/// struct Lent<'a, 'b> {
///     i2c: I2c<Model>,
///     transfer: SegmentTransfer<&'a mut [Segment<Bytes<'b>>]>,
///     result: Option<Result<(), Error>>,
/// }
///
/// /// The controller's interrupt handler.
/// fn i2c0_interrupt(slot: &IrqSlot<Lent<'_, '_>>) {
///     slot.with(|lent| {
///         let sr = lent.i2c.regs_mut().sr();
///         if let Poll::Ready(result) = lent.i2c.advance_irq(&mut lent.transfer, sr) {
///             lent.result = Some(result);
///         }
///     });
/// }
///
/// let mut model = Model::new();
/// model.attach(0x50, Eeprom24c02::new());
/// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Fast))?;
/// i2c.set_interrupt(true)?;
/// let slot = IrqSlot::new();
///
/// // The task: word address 0x10, then two bytes, to the EEPROM at 0x50.
/// let data = [0x10, 0xca, 0xfe];
/// let mut segs = [Segment::new(Address::SevenBit(0x50), false, Bytes::Out(&data))];
/// let transfer = i2c.start_segments(&mut segs[..])?;
/// slot.put(Lent { i2c, transfer, result: None });
/// let mut irqs = 0;
/// for _ in 0..100_000 {
///     // Time passes on the model (on a board the controller runs by itself), and the
///     // interrupt is taken while the line is high.
///     let line = slot.with(|lent| {
///         lent.i2c.regs_mut().tick();
///         lent.i2c.regs().irq_line()
///     });
///     if line == Some(true) {
///         irqs += 1;
///         i2c0_interrupt(&slot);
///     }
///     // The task, waiting: it drives the waits for an idle bus itself.
///     let done = slot.with(|lent| {
///         if lent.result.is_none() && !lent.transfer.awaits_interrupt() {
///             if let Poll::Ready(result) = lent.i2c.advance(&mut lent.transfer) {
///                 lent.result = Some(result);
///             }
///         }
///         lent.result.is_some()
///     });
///     if done == Some(true) {
///         break;
///     }
/// }
/// let lent = slot.take().ok_or("the slot is empty")?;
/// assert_eq!(lent.result, Some(Ok(())));
/// // One interrupt per command: the address, then each byte (the last with STOP).
/// assert_eq!(irqs, 4);
/// let model = lent.i2c.release();
/// assert!(!model.irq_line(), "the interrupt is acknowledged");
/// let eeprom = model.target::<Eeprom24c02>(0x50).ok_or("no EEPROM")?;
/// assert_eq!(eeprom.memory()[0x10..0x12], [0xca, 0xfe]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
