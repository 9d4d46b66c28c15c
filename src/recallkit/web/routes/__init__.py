"""Page routes, one module per audience. Each route declares its action with
`Depends(require(...))`, makes one library call on the writer thread, records the event and
returns."""
