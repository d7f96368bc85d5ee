//! One column of the agent store: a `Vec` that can also be lent, as a view,
//! to the work items of a parallel pass, so that each acts on its own
//! agents where they are stored instead of on copies.
//!
//! A view indexes one element at a time through the buffer's raw pointer
//! and never forms a reference to the whole buffer, so views on several
//! threads may write different elements of the same column at once. Views
//! never grow, shrink or free the buffer.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut, Index, IndexMut};

/// A column of agent state (see the module documentation).
pub struct Column<T> {
    buf: ManuallyDrop<Vec<T>>,
    /// False for a view of another column's buffer.
    owned: bool,
}

/// The buffer of a column, for making views of it on other threads
/// ([`Column::lend`]).
pub(crate) struct Lent<T> {
    ptr: *mut T,
    len: usize,
    cap: usize,
}

// SAFETY: a `Lent` is only a way to make views; what may be done with them
// is the contract of `Lent::view`.
unsafe impl<T: Send> Send for Lent<T> {}
unsafe impl<T: Send> Sync for Lent<T> {}

impl<T> Column<T> {
    /// The number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the column is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Lends the buffer for views. The pointer comes from `&mut self`, so
    /// writes through the views are allowed; `self` must not be used, moved
    /// out of or dropped until every view is gone.
    pub(crate) fn lend(&mut self) -> Lent<T> {
        Lent {
            ptr: self.buf.as_mut_ptr(),
            len: self.buf.len(),
            cap: self.buf.capacity(),
        }
    }
}

impl<T> Lent<T> {
    /// A view of the lent column.
    ///
    /// # Safety
    /// The lending column is not used until every view is dropped, and no
    /// two views used at the same time touch the same element.
    pub(crate) unsafe fn view(&self) -> Column<T> {
        Column {
            // SAFETY: the parts of a live `Vec`; the view never frees,
            // grows or shrinks it (`owned` is false).
            buf: ManuallyDrop::new(unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) }),
            owned: false,
        }
    }
}

impl<T> Drop for Column<T> {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: an owned column's vector is dropped once, here.
            unsafe { ManuallyDrop::drop(&mut self.buf) }
        }
    }
}

#[cold]
#[inline(never)]
fn out_of_bounds(i: usize, len: usize) -> ! {
    panic!("agent {i} out of bounds: {len} agents stored")
}

impl<T> Index<usize> for Column<T> {
    type Output = T;
    #[inline(always)]
    fn index(&self, i: usize) -> &T {
        if i >= self.buf.len() {
            out_of_bounds(i, self.buf.len());
        }
        // SAFETY: in bounds; `as_ptr` forms no reference to the buffer.
        unsafe { &*self.buf.as_ptr().add(i) }
    }
}

impl<T> IndexMut<usize> for Column<T> {
    #[inline(always)]
    fn index_mut(&mut self, i: usize) -> &mut T {
        if i >= self.buf.len() {
            out_of_bounds(i, self.buf.len());
        }
        // SAFETY: in bounds; `as_mut_ptr` forms no reference to the buffer.
        unsafe { &mut *self.buf.as_mut_ptr().add(i) }
    }
}

/// The whole vector, for an owned column only: a view is used element by
/// element.
impl<T> Deref for Column<T> {
    type Target = Vec<T>;
    #[inline]
    fn deref(&self) -> &Vec<T> {
        debug_assert!(self.owned, "a view of a column is used element by element");
        &self.buf
    }
}

impl<T> DerefMut for Column<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Vec<T> {
        assert!(self.owned, "a view of a column cannot change its length");
        &mut self.buf
    }
}

impl<T> Default for Column<T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<T> From<Vec<T>> for Column<T> {
    fn from(v: Vec<T>) -> Self {
        Column {
            buf: ManuallyDrop::new(v),
            owned: true,
        }
    }
}

impl<T: Clone> Clone for Column<T> {
    fn clone(&self) -> Self {
        (*self.buf).clone().into()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (*self.buf).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_write_their_own_elements_of_the_lenders_buffer() {
        let mut col: Column<u32> = vec![0; 8].into();
        let lent = col.lend();
        std::thread::scope(|s| {
            for half in 0..2 {
                let lent = &lent;
                s.spawn(move || {
                    // SAFETY: `col` is not used meanwhile; the halves are disjoint.
                    let mut view = unsafe { lent.view() };
                    for i in (half * 4)..(half * 4 + 4) {
                        view[i] = i as u32 * 10;
                    }
                });
            }
        });
        assert_eq!(col.as_slice(), &[0, 10, 20, 30, 40, 50, 60, 70]);
        col.push(80);
        assert_eq!((col.len(), col[8]), (9, 80));
    }

    #[test]
    #[should_panic(expected = "cannot change its length")]
    fn a_view_cannot_grow() {
        let mut col: Column<u8> = vec![1].into();
        let lent = col.lend();
        // SAFETY: `col` is not used while the view lives.
        let mut view = unsafe { lent.view() };
        view.push(2);
    }
}
