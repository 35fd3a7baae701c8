import { act, fireEvent, screen } from '@testing-library/react';
import { lazyPart } from '../../../../src/addin/taskpane/components/lazyPart';
import { renderIn } from '../helpers';

/** A view loaded on first use must not take the rest of the pane down when its code cannot be downloaded. */
describe('lazyPart', () => {
  /** Let loads, retries (10 ms apart here) and React's pings run inside act, as the pane's would. */
  const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));

  /** A loader that fails its first `failures` calls (as a chunk download does while offline), then loads. */
  function flakyLoader(failures: number) {
    let calls = 0;
    const load = jest.fn(async () => {
      calls += 1;
      if (calls <= failures) throw new Error(`Loading chunk 7 failed (call ${calls})`);
      return function Loaded({ who }: { who: string }) {
        return <p data-testid="loaded">hello {who}</p>;
      };
    });
    return load;
  }

  function pane(Part: ReturnType<typeof lazyPart<{ who: string }>>) {
    return (
      <div>
        <button data-testid="save-case">Save case</button>
        <Part who="agent" />
      </div>
    );
  }

  it('shows an error with Retry in its place when the download keeps failing; the rest stays; Retry loads afresh', async () => {
    const load = flakyLoader(3);
    const Part = lazyPart(load, 10);
    renderIn(pane(Part));
    // The first attempt and two automatic retries, 10 ms and 20 ms apart.
    await settle();
    expect(screen.getByTestId('part-load-error').textContent).toMatch(/could not be loaded/);
    expect(load).toHaveBeenCalledTimes(3);
    expect(screen.getByTestId('save-case')).toBeTruthy();
    expect(screen.queryByTestId('loaded')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await settle();
    expect(screen.getByTestId('loaded').textContent).toBe('hello agent');
    expect(load).toHaveBeenCalledTimes(4);
    expect(screen.queryByTestId('part-load-error')).toBeNull();
  });

  it('loads on an automatic retry when the download fails once, without showing an error', async () => {
    const load = flakyLoader(1);
    const Part = lazyPart(load, 10);
    renderIn(pane(Part));
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByTestId('loaded')).toBeNull();
    await settle();
    expect(screen.getByTestId('loaded').textContent).toBe('hello agent');
    expect(load).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('part-load-error')).toBeNull();
  });
});
